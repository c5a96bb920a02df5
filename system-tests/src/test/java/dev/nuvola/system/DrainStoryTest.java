package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.Platform;

/**
 * The third story, end to end over [::1]: a host goes into maintenance. migration-service plans the evacuation
 * of its four guests over the two other hosts and runs the sagas two at a time; at the end libvirt lists
 * nothing on the drained host and every guest running on exactly one other host, at its size. The guests
 * already on the other hosts are never disturbed.
 */
class DrainStoryTest {
    private static final Map<String, Long> EVACUATED = Map.of("web-1", 1024L, "db-1", 2048L, "mail-1", 512L,
            "app-1", 1024L);
    private static final List<String> STAYING = List.of("web-2", "web-3");

    static FleetClient fleet;

    @BeforeAll
    static void startPlatform() throws IOException {
        Path work = AgentUnderTest.freshWorkDir("drain-story");
        Map<Integer, Path> nodes = new HashMap<>();
        nodes.put(1, work.resolve("host-1.xml"));
        nodes.put(2, work.resolve("host-2.xml"));
        nodes.put(3, work.resolve("host-3.xml"));
        Files.writeString(nodes.get(1), NodeFile.xml(8192, 8, EVACUATED.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new NodeFile.Domain(e.getKey(), e.getValue(), 4096, 1, 2)).toList()));
        Files.writeString(nodes.get(2), NodeFile.xml(8192, 8, List.of(new NodeFile.Domain("web-2", 1024, 4096, 1, 2))));
        Files.writeString(nodes.get(3), NodeFile.xml(8192, 8, List.of(new NodeFile.Domain("web-3", 1024, 4096, 1, 2))));
        fleet = FleetClient.start(work, 3, nodes::get);
    }

    @AfterAll
    static void stopPlatform() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aDrainedHostEndsEmptyWithEveryGuestRunningOnExactlyOneOtherHost() {
        List<String> all = new ArrayList<>(EVACUATED.keySet());
        all.addAll(STAYING);
        fleet.awaitInventoryKnows(all);
        // migration-service plans from the hosts' statuses: all three must have published theirs.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> fleet.status(
                fleet.migration("/api/v1/placement?memoryMiB=2048&vcpus=1")) == 200
                && fleet.get(fleet.migration("/api/v1/placement?memoryMiB=2048&vcpus=1")).get("candidates").size() == 3);

        JsonNode progress;
        long drainMs;
        try (LibvirtWatch watch = new LibvirtWatch(fleet, 3, 100)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !watch.rounds().isEmpty());
            long t0 = System.nanoTime();
            HttpResponse<String> started = fleet.send("POST", fleet.migration("/api/v1/hosts/host-1/drain"),
                    "{\"concurrency\":2}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            assertThat(FleetClient.read(started.body()).get("total").asInt()).isEqualTo(EVACUATED.size());

            progress = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> fleet.get(fleet.migration("/api/v1/hosts/host-1/drain")),
                            p -> !p.get("state").asText().equals("RUNNING"));
            drainMs = (System.nanoTime() - t0) / 1_000_000;
            // The last saga's cleanup is seen by libvirt at once; a few more looks prove nothing comes back.
            await().atMost(Duration.ofSeconds(10)).until(() -> fleet.agentGuests(1).isEmpty());
            long emptyMs = (System.nanoTime() - t0) / 1_000_000;
            sleep(1000);

            assertThat(watch.errors()).as("every look at the agents succeeded").isEmpty();
            assertThat(watch.rounds()).as("libvirt was looked at throughout").hasSizeGreaterThan(10);
            assertThat(watch.doubleRuns()).as("no guest ever ran on two hosts at once").isEmpty();
            assertThat(watch.notRunningOnlyOn("web-2", 2)).as("web-2 was left alone").isEmpty();
            assertThat(watch.notRunningOnlyOn("web-3", 3)).as("web-3 was left alone").isEmpty();
            System.out.printf("[drain] %d guests evacuated, 2 at a time: drain COMPLETED after %d ms, libvirt's host-1"
                    + " empty after %d ms (%d looks at the three agents)%n", EVACUATED.size(), drainMs, emptyMs,
                    watch.rounds().size());
        }

        System.out.println("[drain] progress: " + progress);
        assertThat(progress.get("state").asText()).as(progress.toString()).isEqualTo("COMPLETED");
        assertThat(progress.get("done").asInt()).isEqualTo(EVACUATED.size());
        assertThat(progress.get("failed").asInt()).isZero();
        String drainId = progress.get("drainId").asText();

        // libvirt: nothing left on host-1; every guest runs on exactly one other host, at the size it had.
        assertThat(fleet.agentGuests(1)).isEmpty();
        Map<String, String> targets = new HashMap<>();
        for (JsonNode g : progress.get("guests")) {
            targets.put(g.get("guestId").asText(), g.get("targetHostId").asText());
        }
        assertThat(targets).containsOnlyKeys(EVACUATED.keySet());
        EVACUATED.forEach((guest, memory) -> {
            List<Integer> on = fleet.runningOn(guest, 3);
            assertThat(on).as(guest).hasSize(1).doesNotContain(1);
            int host = on.get(0);
            assertThat(targets.get(guest)).as(guest).isEqualTo(Platform.hostId(host));
            assertThat(fleet.agentGuest(host, guest).orElseThrow().get("memoryMiB").asLong()).as(guest)
                    .isEqualTo(memory);

            List<JsonNode> moves = fleet.migrationsOf(guest);
            assertThat(moves).as(guest).hasSize(1);
            assertThat(moves.get(0).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(moves.get(0).get("drainId").asText()).isEqualTo(drainId);
            assertThat(moves.get(0).get("method").asText()).isEqualTo("SAVE_RESTORE");
        });
        // Both other hosts took some: the balance weigher spreads the evacuation.
        assertThat(targets.values()).contains("host-2", "host-3");
        for (String staying : STAYING) {
            assertThat(fleet.migrationsOf(staying)).isEmpty();
        }

        // Inventory's fleet view follows the agents' statuses.
        await().atMost(Duration.ofSeconds(15)).until(() -> EVACUATED.keySet().stream().allMatch(guest ->
                fleet.get(fleet.inventory("/api/v1/guests/" + guest)).get("hostId").asText().equals(targets.get(guest))));
        JsonNode onHost1 = fleet.get(fleet.inventory("/api/v1/guests?host=host-1"));
        assertThat(StreamSupport.stream(onHost1.spliterator(), false).toList()).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
