package dev.nuvola.migration.saga;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.awaitState;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Second half of a restart (see {@link SagaRestartTest}): a new application, with nothing of the first in
 * memory, finds the saga in TRANSFERRING in the database and completes it: the agents' TRANSFER outcome
 * arrives now (these agents read the commands from the beginning, so they answer the first attempt late, or the
 * second, which the new application sends once the first's deadline has passed). The guest ends on the target
 * alone: no abort, activated and cleaned up once. Quarkus runs the test classes of a profile after those
 * without one, so this runs after the first half.
 */
@QuarkusTest
@TestProfile(SagaRestartResumedTest.Restarted.class)
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class SagaRestartResumedTest {
    /** Any difference in configuration makes Quarkus stop the application and start a new one. */
    public static class Restarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // More attempts than the first application had: these agents need a few seconds to join their group
            // and answer, and the saga's attempts count on from where the first application left them.
            return Map.of("nuvola.migration.max-attempts", "6");
        }
    }

    private static AgentsOnTheBroker agents;

    @BeforeAll
    static void startAgents() {
        String guest = System.getProperty(SagaRestartTest.GUEST_PROPERTY);
        agents = new AgentsOnTheBroker(guest == null ? Map.of() : Map.of(guest, c -> AgentsOnTheBroker.Reply.SUCCEED));
    }

    @AfterAll
    static void stopAgents() throws InterruptedException {
        agents.close();
    }

    @Test
    void theSagaLeftMidTransferCompletesAfterTheRestart() {
        String id = System.getProperty(SagaRestartTest.MIGRATION_PROPERTY);
        Assumptions.assumeTrue(id != null, "runs after SagaRestartTest, in the same JVM");
        String dst = System.getProperty(SagaRestartTest.TARGET_PROPERTY);
        String guest = System.getProperty(SagaRestartTest.GUEST_PROPERTY);

        awaitState(id, MigrationState.COMPLETED);
        asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200).body("targetHostId", equalTo(dst));
        List<MigrationStep> steps = agents.commandsFor(guest).stream().map(MigrationCommand::step).toList();
        assertThat(steps).doesNotContain(MigrationStep.ABORT);
        assertThat(steps).filteredOn(s -> s == MigrationStep.ACTIVATE).hasSize(1);
        assertThat(steps).filteredOn(s -> s == MigrationStep.CLEANUP_SOURCE).hasSize(1);
        // The state events reach the broker through the outbox relay, a moment after the database has them.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(states(id)).containsExactly(MigrationState.REQUESTED,
                        MigrationState.PLANNED, MigrationState.PREPARING, MigrationState.TRANSFERRING,
                        MigrationState.ACTIVATING, MigrationState.CLEANING, MigrationState.COMPLETED));
    }
}
