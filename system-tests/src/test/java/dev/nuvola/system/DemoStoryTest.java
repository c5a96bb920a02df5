package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nuvola.devstack.demo.DemoFleet;
import dev.nuvola.devstack.demo.DemoScenario;
import dev.nuvola.devstack.demo.ScenarioPlayer;

/**
 * {@code ./nuvola demo}'s evening, as the demo plays it: the shipped demo node files, the fleet's policies set
 * through inventory, the chat server's load climbing through the agent's simulation API (over 40 s here,
 * three minutes in the demo). The chat server grows live, its host fills, web-1 moves away, and the chat server grows
 * past what its host could have given it without that move, without ever stopping.
 */
class DemoStoryTest {
    private static final String XMPP = DemoFleet.CHAT_SERVER;
    /** What host-1 can give the chat server without moving anyone: its 2048 MiB plus the 2048 MiB free. */
    private static final long WITHOUT_MOVING_ANYONE = 4096;

    static FleetClient fleet;

    @BeforeAll
    static void startPlatform() throws IOException {
        Path work = AgentUnderTest.freshWorkDir("demo-story");
        fleet = FleetClient.start(work, 3, i -> DemoFleet.nodeFile(AgentUnderTest.repoRoot(), work, i));
    }

    @AfterAll
    static void stopPlatform() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theEveningGrowsTheChatServerLiveMovesAWebGuestAwayAndGrowsItFurther() throws Exception {
        DemoScenario evening = DemoScenario.evening(Duration.ofSeconds(40));
        try (LibvirtWatch watch = new LibvirtWatch(fleet, 3, 200);
             ScenarioPlayer player = new ScenarioPlayer(fleet.platform(), 3, evening, System.out)) {
            player.start();
            assertThat(player.awaitPolicies(Duration.ofSeconds(90))).as("the fleet's policies were set").isTrue();
            long t0 = System.nanoTime();
            JsonNode policy = fleet.get(fleet.inventory("/api/v1/guests/" + XMPP + "/policy"));
            assertThat(policy.get("migratable").asBoolean()).isFalse();
            assertThat(policy.get("neverRestart").asBoolean()).isTrue();
            assertThat(policy.get("priority").asInt()).isEqualTo(100);

            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).until(() ->
                    fleet.get(fleet.inventory("/api/v1/guests/" + XMPP)).get("memoryMiB").asLong() > WITHOUT_MOVING_ANYONE);
            long pastMs = (System.nanoTime() - t0) / 1_000_000;
            // The rest of the climb: more grows may come, nothing else may move.
            long rampLeft = evening.ramp().orElseThrow().end().toMillis() - pastMs;
            Thread.sleep(Math.max(2000, rampLeft + 3000));

            assertThat(watch.errors()).isEmpty();
            assertThat(watch.rounds()).hasSizeGreaterThan(50);
            assertThat(watch.doubleRuns()).as("no guest ever ran on two hosts at once").isEmpty();
            assertThat(watch.notRunningOnlyOn(XMPP, 1)).as(XMPP + " ran on host-1, and only there, at every look")
                    .isEmpty();
            for (String stays : List.of("db-1", "mail-1")) {
                assertThat(watch.notRunningOnlyOn(stays, 1)).as(stays).isEmpty();
            }
            System.out.printf("[demo-story] policies set -> %s past %d MiB (more than host-1 had) in %d ms%n", XMPP,
                    WITHOUT_MOVING_ANYONE, pastMs);
        }

        List<JsonNode> decisions = new ArrayList<>(fleet.decisionsOf(XMPP));
        Collections.reverse(decisions);
        List<String> actions = decisions.stream().map(d -> d.get("action").asText()).toList();
        System.out.println("[demo-story] " + XMPP + "'s decisions, oldest first: " + actions);
        int makeRoom = actions.indexOf("MAKE_ROOM");
        assertThat(makeRoom).as("the host filled up").isPositive();
        assertThat(actions.subList(0, makeRoom)).as("it grew in place first").contains("RESIZE");
        assertThat(actions.subList(makeRoom + 1, actions.size())).as("and again after the move").contains("RESIZE");
        assertThat(actions).containsOnly("RESIZE", "MAKE_ROOM");
        assertThat(decisions.get(makeRoom).get("reason").asText()).contains("[web-1]");

        List<JsonNode> moves = fleet.migrationsOf("web-1");
        assertThat(moves).hasSize(1);
        JsonNode move = moves.get(0);
        assertThat(move.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(move.get("method").asText()).isEqualTo("SAVE_RESTORE");
        assertThat(move.get("requestedBy").asText()).isEqualTo("scaler");
        for (String other : List.of(XMPP, "db-1", "mail-1", "web-2", "db-2", "web-3")) {
            assertThat(fleet.migrationsOf(other)).as(other + " did not move").isEmpty();
        }
        String target = move.get("targetHostId").asText();
        assertThat(fleet.runningOn("web-1", 3)).containsExactly(Integer.parseInt(target.substring("host-".length())));

        JsonNode xmpp = fleet.agentGuest(1, XMPP).orElseThrow();
        assertThat(xmpp.get("running").asBoolean()).isTrue();
        assertThat(xmpp.get("memoryMiB").asLong()).isGreaterThan(WITHOUT_MOVING_ANYONE)
                .isLessThanOrEqualTo(DemoFleet.XMPP.maxMemoryMiB());
        long sagaMs = Duration.between(Instant.parse(move.get("requestedAt").asText()),
                Instant.parse(move.get("updatedAt").asText())).toMillis();
        System.out.printf("[demo-story] web-1 moved host-1 -> %s in %d ms (save -> restore); %s ends at %d MiB after"
                + " %d grows%n", target, sagaMs, XMPP, xmpp.get("memoryMiB").asLong(),
                actions.stream().filter("RESIZE"::equals).count());
    }
}
