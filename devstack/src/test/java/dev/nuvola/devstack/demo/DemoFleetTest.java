package dev.nuvola.devstack.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The demo's story rests on arithmetic between the shipped node files, the agent's memory reserve and the
 * policies: these tests keep the three in step, so that an edit to one cannot silently spoil the evening.
 */
class DemoFleetTest {
    /** The agent's default {@code nuvola.agent.memory-reserve-mib}. */
    private static final long AGENT_RESERVE_MIB = 512;
    private static final Path NODES = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("host-agent/src/main/resources/nodes");
    private static final Pattern HOST_MEMORY = Pattern.compile("<memory>(\\d+)</memory>");
    private static final Pattern DOMAIN = Pattern.compile(
            "<name>([^<]+)</name>.*?<memory unit='MiB'>(\\d+)</memory>\\s*<currentMemory unit='MiB'>(\\d+)</currentMemory>",
            Pattern.DOTALL);

    private record Node(long memoryMiB, Map<String, long[]> guests) {
        long freeMiB() {
            return memoryMiB - AGENT_RESERVE_MIB - guests.values().stream().mapToLong(g -> g[1]).sum();
        }
    }

    private static Node node(int i) throws IOException {
        String xml = Files.readString(NODES.resolve("demo-host-" + i + ".xml"));
        Matcher host = HOST_MEMORY.matcher(xml);
        assertTrue(host.find());
        Map<String, long[]> guests = new LinkedHashMap<>();
        Matcher d = DOMAIN.matcher(xml);
        while (d.find()) {
            guests.put(d.group(1), new long[] {Long.parseLong(d.group(2)), Long.parseLong(d.group(3))});
        }
        return new Node(Long.parseLong(host.group(1)) / 1024, guests);
    }

    @Test
    void theChatServersHostFillsAndItsWebGuestAloneMakesRoomForAllTheGrowthItsPolicyAllows() throws IOException {
        Node host1 = node(1);
        long xmpp = host1.guests().get(DemoFleet.CHAT_SERVER)[1];
        long web = host1.guests().get("web-1")[1];
        long growth = DemoFleet.XMPP.maxMemoryMiB() - xmpp;
        assertEquals(2048, host1.freeMiB());
        assertTrue(growth > host1.freeMiB(), "the host fills before the chat server reaches its maximum");
        assertTrue(growth <= host1.freeMiB() + web, "web-1's room covers the rest, so nothing else has to move");
        // web-1 is the one that moves: the lowest priority of the movable neighbours.
        host1.guests().keySet().stream().filter(g -> !g.equals("web-1") && !g.equals(DemoFleet.CHAT_SERVER))
                .forEach(g -> assertTrue(DemoFleet.policyFor(g).orElseThrow().priority() > DemoFleet.WEB.priority(), g));
        assertTrue(DemoFleet.XMPP.maxMemoryMiB() <= host1.guests().get(DemoFleet.CHAT_SERVER)[0]);
        // The climb ends inside the band (80 % of the policy's maximum): the story stops there.
        long top = DemoScenario.named("evening").ramp().orElseThrow().toMiB();
        assertTrue(top < 0.80 * DemoFleet.XMPP.maxMemoryMiB());
        for (int i = 2; i <= 3; i++) {
            assertTrue(node(i).freeMiB() >= web, "host-" + i + " can take web-1");
        }
    }

    @Test
    void everyDemoGuestHasAPolicyWithinItsHypervisorMaxima() throws IOException {
        for (int i = 1; i <= 3; i++) {
            node(i).guests().forEach((name, sizes) -> {
                DemoFleet.Policy p = DemoFleet.policyFor(name).orElseThrow().within(sizes[0], 8);
                assertTrue(p.maxMemoryMiB() <= sizes[0] && p.minMemoryMiB() <= sizes[1], name);
            });
        }
        assertTrue(DemoFleet.policyFor("build-runner-1").isEmpty());
    }

    @Test
    void aPolicyIsWrittenAsInventoryTakesIt() throws IOException {
        JsonNode xmpp = new ObjectMapper().readTree(DemoFleet.XMPP.toJson());
        assertEquals(6144, xmpp.get("maxMemoryMiB").asLong());
        assertFalse(xmpp.get("migratable").asBoolean());
        assertTrue(xmpp.get("neverRestart").asBoolean());
        assertFalse(xmpp.has("antiAffinityGroup"));
        JsonNode db = new ObjectMapper().readTree(DemoFleet.DATABASE.within(4096, 2).toJson());
        assertEquals(4096, db.get("maxMemoryMiB").asLong());
        assertEquals(2, db.get("maxVcpus").asInt());
        assertEquals("db", db.get("antiAffinityGroup").asText());
    }
}
