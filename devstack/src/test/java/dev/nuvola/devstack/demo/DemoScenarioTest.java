package dev.nuvola.devstack.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DemoScenarioTest {

    @Test
    void theEveningClimbsInAStraightLineAfterItsPauseThenStaysAtTheTop() {
        DemoScenario.Ramp ramp = DemoScenario.named("evening").ramp().orElseThrow();
        assertEquals(DemoFleet.CHAT_SERVER, ramp.guest());
        assertEquals(1000, ramp.workingSetMiB(Duration.ZERO));
        assertEquals(1000, ramp.workingSetMiB(ramp.after()));
        assertEquals(2700, ramp.workingSetMiB(ramp.after().plus(ramp.over().dividedBy(2))));
        assertEquals(4400, ramp.workingSetMiB(ramp.end()));
        assertEquals(4400, ramp.workingSetMiB(ramp.end().plusHours(1)));
        assertEquals(Duration.ofSeconds(5 + 180), ramp.end());
    }

    @Test
    void noneLeavesTheLoadsAloneAndAnUnknownNameIsRefusedWithTheChoices() {
        assertTrue(DemoScenario.named("none").ramp().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoScenario.named("weekend"));
        assertTrue(e.getMessage().contains("evening, none"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DemoScenario.evening(Duration.ZERO));
    }
}
