package dev.nuvola.devstack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    @Test
    void parsesFlagsAndOptionsInBothForms() {
        Cli cli = Cli.parse("kafka", "--ipv4", "--port", "19092", "--partitions=3");
        assertEquals("kafka", cli.command());
        assertTrue(cli.flag("ipv4"));
        assertEquals(19092, cli.intOption("port", 9092));
        assertEquals(3, cli.intOption("partitions", 6));
        assertEquals(6, Cli.parse("kafka").intOption("partitions", 6));
        cli.allowOnly("ipv4", "ipv6", "port", "partitions");
    }

    @Test
    void rejectsTyposStrayWordsAndMissingNumbers() {
        assertThrows(IllegalArgumentException.class, () -> Cli.parse("kafka", "--prot", "1").allowOnly("port"));
        assertThrows(IllegalArgumentException.class, () -> Cli.parse("kafka", "9092"));
        assertThrows(IllegalArgumentException.class, () -> Cli.parse("kafka", "--port").intOption("port", 1));
        assertThrows(IllegalArgumentException.class, () -> Cli.parse("kafka", "--port", "x").intOption("port", 1));
    }

    @Test
    void unknownCommandsAndBadOptionsExitWithUsageError() {
        assertEquals(2, DevStackMain.run("frobnicate"));
        assertEquals(2, DevStackMain.run());
        assertEquals(2, DevStackMain.run("kafka", "--ipv4", "--ipv6"));
        assertEquals(0, DevStackMain.run("help"));
    }

    @Test
    void theDemoRefusesAnUnknownScenarioOrOptionBeforeStartingAnything() {
        assertEquals(2, DevStackMain.run("demo", "--scenario", "weekend"));
        assertEquals(2, DevStackMain.run("demo", "--scenerio", "evening"));
    }
}
