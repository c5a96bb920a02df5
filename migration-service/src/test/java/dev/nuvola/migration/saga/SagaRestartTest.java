package dev.nuvola.migration.saga;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.events.MigrationStep;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * First half of a restart: a migration is left mid-transfer (the source's agent never answers TRANSFER) when
 * this application stops. {@link SagaRestartResumedTest} runs in a new application (another test profile,
 * so Quarkus stops this one and starts afresh on the same database and broker) and sees it through.
 *
 * <p>Quarkus runs the classes without a profile first, by name, then those with one. This class's name makes it
 * the last before the restart: a class run between the two halves, in this application, would give the saga
 * time to time out twice (3 s steps, 2 attempts in the test profile) and roll back before the restart.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class SagaRestartTest {
    /** JVM-wide, unlike statics: the second half runs in another class loader. */
    static final String MIGRATION_PROPERTY = "nuvola.test.restart.migration";
    static final String TARGET_PROPERTY = "nuvola.test.restart.target";
    static final String GUEST_PROPERTY = "nuvola.test.restart.guest";

    private static final AgentsOnTheBroker agents = new AgentsOnTheBroker();

    @AfterAll
    static void stopAgents() throws InterruptedException {
        agents.close();
    }

    @Test
    void aMigrationIsLeftMidTransferWhenTheServiceStops() {
        MigrationSagaKafkaTest.Move move = MigrationSagaKafkaTest.twoHosts(agents, "crash",
                c -> c.step() == MigrationStep.TRANSFER ? AgentsOnTheBroker.Reply.IGNORE : AgentsOnTheBroker.Reply.SUCCEED);
        String dst = move.dst();
        String guest = move.guest();
        String id = MigrationSagaKafkaTest.post(guest, dst);
        await().atMost(WAIT).untilAsserted(() -> assertThat(agents.commandsFor(guest))
                .anyMatch(c -> c.step() == MigrationStep.TRANSFER));
        asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200).body("state", equalTo("TRANSFERRING"));
        System.setProperty(MIGRATION_PROPERTY, id);
        System.setProperty(TARGET_PROPERTY, dst);
        System.setProperty(GUEST_PROPERTY, guest);
    }
}
