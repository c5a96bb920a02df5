package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestPolicy;

/**
 * The second story, end to end over [::1]: a guest that may not move needs more memory than its host has
 * free; the scaler moves a lower-priority neighbour away through migration-service's saga (save and restore on
 * libvirt's test driver, which has no live migration), then grows the guest live once the move has completed.
 *
 * <p>host-1 has 5888 MiB: 512 kept for the host, xmpp-1 2048, web-1 2048, db-1 1024, so 256 MiB free. xmpp-1's
 * working set of 1800 MiB (88 %, over its 80 % band) asks for 2816 MiB, 768 more than it has: the host is 512
 * short. web-1 (priority 10) goes before db-1 (priority 50) and alone frees enough, so only web-1 moves.
 */
class MakeRoomStoryTest {
    private static final String XMPP = "xmpp-1";
    private static final String WEB = "web-1";
    private static final String DB = "db-1";
    private static final String MAIL = "mail-1";

    static FleetClient fleet;

    @BeforeAll
    static void startPlatform() throws IOException {
        Path work = AgentUnderTest.freshWorkDir("make-room-story");
        Path host1 = work.resolve("host-1.xml");
        Path host2 = work.resolve("host-2.xml");
        Files.writeString(host1, NodeFile.xml(5888, 8, List.of(
                new NodeFile.Domain(XMPP, 2048, 8192, 2, 8),
                new NodeFile.Domain(WEB, 2048, 4096, 1, 4),
                new NodeFile.Domain(DB, 1024, 4096, 1, 4))));
        Files.writeString(host2, NodeFile.xml(8192, 8, List.of(new NodeFile.Domain(MAIL, 1024, 2048, 1, 2))));
        fleet = FleetClient.start(work, 2, i -> i == 1 ? host1 : host2);
    }

    @AfterAll
    static void stopPlatform() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aFullHostMovesALowerPriorityNeighbourAwayAndTheGuestThatMayNotMoveGrowsLive() throws Exception {
        fleet.awaitInventoryKnows(List.of(XMPP, WEB, DB, MAIL));
        fleet.setPolicy(XMPP, """
                {"minMemoryMiB":1024,"maxMemoryMiB":8192,"minVcpus":1,"maxVcpus":8,"priority":100,
                 "migratable":false,"neverRestart":true}""");
        fleet.setPolicy(WEB, """
                {"minMemoryMiB":512,"maxMemoryMiB":4096,"minVcpus":1,"maxVcpus":4,"priority":10,
                 "migratable":true,"neverRestart":false}""");
        fleet.setPolicy(DB, """
                {"minMemoryMiB":512,"maxMemoryMiB":4096,"minVcpus":1,"maxVcpus":4,"priority":50,
                 "migratable":true,"neverRestart":false}""");
        // The policies reach the scaler and migration-service on the compacted topic, through inventory's outbox.
        try (TestKafka kafka = new TestKafka(fleet.platform().bootstrapServers())) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> kafka.events(
                    GuestPolicy.class, p -> List.of(XMPP, WEB, DB).contains(p.guestId())).size() == 3);
        }
        // The consumers of that topic read it within milliseconds; a second more costs little and rules out a race.
        Thread.sleep(1000);

        long before = fleet.get(fleet.inventory("/api/v1/guests/" + XMPP)).get("memoryMiB").asLong();
        assertThat(before).isEqualTo(2048);
        JsonNode host1 = fleet.get(fleet.inventory("/api/v1/hosts/host-1"));
        System.out.println("[make-room] host-1 before: " + host1);

        long grownTo;
        long t0;
        long makeRoomMs;
        long grownMs;
        try (LibvirtWatch watch = new LibvirtWatch(fleet, 2, 100)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !watch.rounds().isEmpty());
            t0 = System.nanoTime();
            fleet.setLoad(1, XMPP, 1800, 0.3);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> fleet.decisionsOf(XMPP)
                    .stream().anyMatch(d -> d.get("action").asText().equals("MAKE_ROOM")));
            makeRoomMs = (System.nanoTime() - t0) / 1_000_000;

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                    fleet.get(fleet.inventory("/api/v1/guests/" + XMPP)).get("memoryMiB").asLong() > before);
            grownMs = (System.nanoTime() - t0) / 1_000_000;
            grownTo = fleet.get(fleet.inventory("/api/v1/guests/" + XMPP)).get("memoryMiB").asLong();
            // A few more looks after the grow: nothing moves back, nothing else moves.
            Thread.sleep(2000);

            assertThat(watch.errors()).as("every look at the agents succeeded").isEmpty();
            assertThat(watch.rounds()).as("libvirt was looked at throughout").hasSizeGreaterThan(20);
            assertThat(watch.doubleRuns()).as("no guest ever ran on two hosts at once").isEmpty();
            assertThat(watch.notRunningOnlyOn(XMPP, 1)).as(XMPP + " ran on host-1, and only there, at every look")
                    .isEmpty();
            assertThat(watch.notRunningOnlyOn(DB, 1)).as(DB + " stayed").isEmpty();
            assertThat(watch.notRunningOnlyOn(MAIL, 2)).as(MAIL + " stayed").isEmpty();
            long downMs = (watch.firstRunningOn(WEB, 2).orElseThrow() - watch.lastRunningOn(WEB, 1).orElseThrow())
                    / 1_000_000;
            System.out.printf("[make-room] %s stopped on host-1 and ran on host-2 within %d ms (save -> restore, seen"
                    + " by polls 100 ms apart)%n", WEB, downMs);
        }

        // The scaler made room, then grew: no move of xmpp-1 itself, a resize after the neighbour's move.
        List<JsonNode> decisions = fleet.decisionsOf(XMPP);
        System.out.println("[make-room] decisions about " + XMPP + ": " + decisions);
        assertThat(decisions).extracting(d -> d.get("action").asText()).doesNotContain("MOVE_GUEST", "REFUSED");
        JsonNode makeRoom = decisions.stream().filter(d -> d.get("action").asText().equals("MAKE_ROOM")).findFirst()
                .orElseThrow();
        assertThat(makeRoom.get("migrationRequests")).hasSize(1);
        assertThat(makeRoom.get("reason").asText()).contains("[" + WEB + "]");
        JsonNode resize = decisions.get(0);
        assertThat(resize.get("action").asText()).isEqualTo("RESIZE");
        assertThat(Instant.parse(resize.get("decidedAt").asText()))
                .isAfter(Instant.parse(makeRoom.get("decidedAt").asText()));

        // migration-service ran exactly one saga, web-1's, to its end by save and restore.
        List<JsonNode> moves = fleet.migrationsOf(WEB);
        assertThat(moves).hasSize(1);
        JsonNode move = moves.get(0);
        assertThat(move.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(move.get("sourceHostId").asText()).isEqualTo("host-1");
        assertThat(move.get("targetHostId").asText()).isEqualTo("host-2");
        assertThat(move.get("method").asText()).isEqualTo("SAVE_RESTORE");
        assertThat(move.get("requestedBy").asText()).isEqualTo("scaler");
        assertThat(fleet.migrationsOf(XMPP)).isEmpty();
        assertThat(fleet.migrationsOf(DB)).isEmpty();
        long sagaMs = Duration.between(Instant.parse(move.get("requestedAt").asText()),
                Instant.parse(move.get("updatedAt").asText())).toMillis();

        // libvirt's state, read live by the agents.
        assertThat(fleet.runningOn(WEB, 2)).containsExactly(2);
        assertThat(fleet.agentGuest(2, WEB).orElseThrow().get("memoryMiB").asLong()).isEqualTo(2048);
        assertThat(fleet.agentGuest(1, WEB)).as("the source copy is gone").isEmpty();
        JsonNode xmpp = fleet.agentGuest(1, XMPP).orElseThrow();
        assertThat(xmpp.get("running").asBoolean()).isTrue();
        assertThat(xmpp.get("memoryMiB").asLong()).isEqualTo(grownTo);
        assertThat(1800.0 / grownTo).as("back inside the band").isLessThanOrEqualTo(0.80);
        assertThat(fleet.runningOn(XMPP, 2)).containsExactly(1);

        // Inventory's fleet view agrees.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                fleet.get(fleet.inventory("/api/v1/guests/" + WEB)).get("hostId").asText().equals("host-2"));
        JsonNode inventoryXmpp = fleet.get(fleet.inventory("/api/v1/guests/" + XMPP));
        assertThat(inventoryXmpp.get("hostId").asText()).isEqualTo("host-1");
        assertThat(inventoryXmpp.get("memoryMiB").asLong()).isEqualTo(grownTo);

        System.out.printf("[make-room] load raised -> MAKE_ROOM decided in %d ms; web-1's saga took %d ms (request"
                + " to COMPLETED); xmpp-1 %d -> %d MiB in inventory %d ms after the load rose%n", makeRoomMs, sagaMs,
                before, grownTo, grownMs);
    }
}
