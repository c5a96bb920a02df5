package dev.nuvola.migration.saga;

import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.LIVE;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.WAIT;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.kafka;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.publishHost;
import static dev.nuvola.migration.saga.MigrationSagaKafkaTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.migration.service.DrainService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Host drain on the real broker and PostgreSQL, the agents' side played by {@link AgentsOnTheBroker}. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class DrainKafkaTest {
    private static final AgentsOnTheBroker agents = new AgentsOnTheBroker();

    @Inject
    DrainService drains;

    @AfterAll
    static void stopAgents() throws InterruptedException {
        agents.close();
    }

    @Test
    void aDrainMovesEveryGuestAFewAtATimeAndTheHostIsPublishedDraining() {
        String host = unique("maint");
        List<String> guests = List.of(unique("d1"), unique("d2"), unique("d3"), unique("d4"));
        publishHost(host, 0, LIVE, guests.stream().map(g -> new HostGuest(g, 1024, 4096, 1, 4))
                .toArray(HostGuest[]::new));
        publishHost(unique("spare"), 16384, LIVE);
        publishHost(unique("spare"), 16384, LIVE);
        guests.forEach(g -> agents.script(g, c -> AgentsOnTheBroker.Reply.SUCCEED));

        asOperator().contentType(ContentType.JSON).body("{\"concurrency\":2}").post("/api/v1/hosts/{id}/drain", host)
                .then().statusCode(202)
                .body("state", equalTo("RUNNING"))
                .body("total", equalTo(4))
                .body("concurrency", equalTo(2));
        // Its agent, which knows nothing of drains, says ACTIVE again: the service answers with DRAINING, newer.
        publishHost(host, 0, LIVE, guests.stream().map(g -> new HostGuest(g, 1024, 4096, 1, 4))
                .toArray(HostGuest[]::new));

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/hosts/{id}/drain", host).then()
                .statusCode(200)
                .body("inFlight", lessThanOrEqualTo(2))
                .body("state", equalTo("COMPLETED")));
        JsonPath progress = asViewer().get("/api/v1/hosts/{id}/drain", host).then().statusCode(200)
                .body("done", equalTo(4)).body("failed", equalTo(0)).body("pending", equalTo(0))
                .body("reason", equalTo("all 4 guests moved"))
                .extract().jsonPath();
        assertThat(progress.getList("guests.state")).containsOnly("COMPLETED");
        assertThat(progress.getList("guests.targetHostId")).doesNotContain(host).doesNotContainNull();

        // Never more than two migrations between their first and last command.
        Set<String> open = new HashSet<>();
        int most = 0;
        List<MigrationCommand> commands = guests.stream().flatMap(g -> agents.commandsFor(g).stream())
                .sorted(Comparator.comparing(MigrationCommand::issuedAt)).toList();
        for (MigrationCommand c : commands) {
            if (c.step() == MigrationStep.PREPARE_TARGET) {
                open.add(c.migrationId());
            } else if (c.step() == MigrationStep.CLEANUP_SOURCE) {
                open.remove(c.migrationId());
            }
            most = Math.max(most, open.size());
        }
        assertThat(most).isBetween(1, 2);
        assertThat(commands).filteredOn(c -> c.step() == MigrationStep.CLEANUP_SOURCE).hasSize(4);

        await().atMost(WAIT).untilAsserted(() -> assertThat(latestStatus(host).state()).isEqualTo(HostState.DRAINING));
        // A drained host takes no guests until its maintenance ends.
        asViewer().queryParam("memoryMiB", 1).queryParam("vcpus", 1).get("/api/v1/placement").then().statusCode(200)
                .body("candidates.find { it.hostId == '" + host + "' }.reason",
                        equalTo("host is DRAINING, not ACTIVE"));
        asOperator().delete("/api/v1/hosts/{id}/drain", host).then().statusCode(200).body("state", equalTo("ENDED"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(latestStatus(host).state()).isEqualTo(HostState.ACTIVE));
    }

    @Test
    void aTickThatReadTheDrainsBeforeItEndedDoesNotMakeTheHostDrainingAgain() throws InterruptedException {
        String host = unique("ended");
        publishHost(host, 0, LIVE);
        asOperator().contentType(ContentType.JSON).body("{}").post("/api/v1/hosts/{id}/drain", host).then()
                .statusCode(202);
        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/hosts/{id}/drain", host).then()
                .statusCode(200).body("state", equalTo("COMPLETED")));

        // The race the scheduler can run into: a tick reads the drains while the end is not committed yet, and
        // keeps the host among those it holds after the end. This service's own ACTIVE status then comes back
        // from the topic while the host still looks held.
        QuarkusTransaction.begin();
        drains.end(host);
        Thread tick = new Thread(drains::tick);
        tick.start();
        tick.join();
        QuarkusTransaction.commit();

        await().during(Duration.ofSeconds(3)).atMost(WAIT)
                .untilAsserted(() -> assertThat(latestStatus(host).state()).isEqualTo(HostState.ACTIVE));
    }

    @Test
    void aDrainWhoseGuestsDoNotFitIsRefusedWithTheReasonAndChangesNothing() {
        String host = unique("full");
        String big = unique("huge");
        publishHost(host, 0, LIVE, new HostGuest(big, 60000, 60000, 2, 4));
        publishHost(unique("small"), 16384, LIVE);
        asOperator().contentType(ContentType.JSON).body("{}").post("/api/v1/hosts/{id}/drain", host).then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("drain of " + host + " refused: cannot evacuate 1 guests"))
                .body("detail", containsString("no host fits " + big + " (60000 MiB, 2 vCPUs)"))
                .body("detail", containsString("CapacityFilter"));
        asViewer().get("/api/v1/hosts/{id}/drain", host).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(latestStatus(host).state()).isEqualTo(HostState.ACTIVE);
    }

    @Test
    void badDrainRequestsAreProblems() {
        asOperator().contentType(ContentType.JSON).body("{}").post("/api/v1/hosts/{id}/drain", "no-such-host").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("'no-such-host'"));
        String host = unique("h");
        publishHost(host, 0, LIVE);
        asOperator().contentType(ContentType.JSON).body("{\"concurrency\":0}").post("/api/v1/hosts/{id}/drain", host)
                .then().statusCode(400).body("detail", equalTo("concurrency must be at least 1, got 0"));
        asOperator().delete("/api/v1/hosts/{id}/drain", host).then().statusCode(404);
    }

    private static HostStatus latestStatus(String hostId) {
        return kafka.events(HostStatus.class, s -> s.hostId().equals(hostId)).stream()
                .max(Comparator.comparing(HostStatus::observedAt)).orElseThrow();
    }

}
