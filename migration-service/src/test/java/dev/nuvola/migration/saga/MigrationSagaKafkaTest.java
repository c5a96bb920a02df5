package dev.nuvola.migration.saga;

import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.EventCodec;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The saga end to end on the real broker and real PostgreSQL, with {@link AgentsOnTheBroker} answering the
 * step commands as agents would. The service's step timeout is 3 s with 2 attempts in the test profile.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class MigrationSagaKafkaTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Set<Capability> LIVE = Set.of(Capability.LIVE_MIGRATION, Capability.SAVE_RESTORE);
    static final TestKafka kafka = TestKafka.shared();
    /** Started with the class, not on first use: other classes use this one's helpers and need no agents. */
    static AgentsOnTheBroker agents;

    @Inject
    EntityManager em;

    @BeforeAll
    static void startAgents() {
        agents = new AgentsOnTheBroker();
    }

    @AfterAll
    static void stopAgents() throws InterruptedException {
        agents.close();
    }

    @Test
    void aMigrationCompletesStepByStepEachCommandToItsHost() {
        String src = unique("src");
        String dst = unique("dst");
        String guest = unique("xmpp");
        publishHost(src, 1024, LIVE, new HostGuest(guest, 2048, 8192, 2, 8));
        publishHost(dst, 16384, LIVE);
        agents.script(guest, c -> AgentsOnTheBroker.Reply.SUCCEED);
        agents.duplicateOutcomes(true);
        try {
            String id = asOperator().contentType(ContentType.JSON)
                    .body("{\"guestId\":\"" + guest + "\",\"targetHostId\":\"" + dst + "\",\"reason\":\"make room\"}")
                    .post("/api/v1/migrations").then().statusCode(201)
                    .body("state", equalTo("PREPARING"))
                    .body("sourceHostId", equalTo(src))
                    .body("targetHostId", equalTo(dst))
                    .body("method", equalTo("LIVE"))
                    .body("requiredMemoryMiB", equalTo(2048))
                    .extract().path("id");
            awaitState(id, MigrationState.COMPLETED);
            asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200)
                    .body("step", org.hamcrest.Matchers.nullValue())
                    .body("targetHostId", equalTo(dst));

            List<MigrationCommand> commands = agents.commandsFor(guest);
            assertThat(commands).extracting(MigrationCommand::step, MigrationCommand::hostId).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(MigrationStep.PREPARE_TARGET, dst),
                    org.assertj.core.groups.Tuple.tuple(MigrationStep.TRANSFER, src),
                    org.assertj.core.groups.Tuple.tuple(MigrationStep.ACTIVATE, dst),
                    org.assertj.core.groups.Tuple.tuple(MigrationStep.CLEANUP_SOURCE, src));
            assertThat(commands).allSatisfy(c -> {
                assertThat(c.method()).isEqualTo(MigrationMethod.LIVE);
                assertThat(c.size()).isEqualTo(new GuestSize(2048, 2));
                assertThat(c.deadline()).isAfter(c.issuedAt());
            });
            // Each outcome arrived twice under one event id: every state was entered once.
            await().atMost(WAIT).untilAsserted(() -> assertThat(states(id)).containsExactly(MigrationState.REQUESTED,
                    MigrationState.PLANNED, MigrationState.PREPARING, MigrationState.TRANSFERRING,
                    MigrationState.ACTIVATING, MigrationState.CLEANING, MigrationState.COMPLETED));
            assertThat(kafka.readAll(Topics.MIGRATION_COMMANDS)).filteredOn(r -> r.key().equals(src)).isNotEmpty();
            long processed = QuarkusTransaction.requiringNew().call(() -> (Long) em.createQuery(
                    "select count(p) from ProcessedEvent p").getSingleResult());
            assertThat(processed).isGreaterThanOrEqualTo(4);
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("nuvola_migration_states_entered_total{state=\"COMPLETED\"}"))
                    .body(containsString("nuvola_migration_commands_total{step=\"CLEANUP_SOURCE\"}"))
                    .body(containsString("nuvola_migration_placement_seconds"));
        } finally {
            agents.duplicateOutcomes(false);
        }
    }

    @Test
    void aFailedTransferRollsBackAbortingTargetThenSource() {
        Move move = twoHosts("web", c -> c.step() == MigrationStep.TRANSFER ? AgentsOnTheBroker.Reply.FAIL
                : AgentsOnTheBroker.Reply.SUCCEED);
        String src = move.src();
        String dst = move.dst();
        String guest = move.guest();
        // Through Kafka this time, as the scaler asks.
        String requestId = unique("req");
        kafka.send(guest, new MigrationRequest(requestId, guest, src, "host full", "scaler-service",
                new GuestSize(1024, 1), dst, Instant.now()));
        String id = await().atMost(WAIT).until(() -> idOfRequest(requestId), java.util.Objects::nonNull);

        awaitState(id, MigrationState.ROLLED_BACK);
        asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200)
                .body("failedIn", equalTo("TRANSFERRING"))
                .body("reason", equalTo("TRANSFER failed on " + src + ": scripted failure of TRANSFER"));
        assertThat(agents.commandsFor(guest)).extracting(MigrationCommand::step, MigrationCommand::hostId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(MigrationStep.PREPARE_TARGET, dst),
                        org.assertj.core.groups.Tuple.tuple(MigrationStep.TRANSFER, src),
                        org.assertj.core.groups.Tuple.tuple(MigrationStep.ABORT, dst),
                        org.assertj.core.groups.Tuple.tuple(MigrationStep.ABORT, src));
        // State events reach the broker through the outbox relay, a moment after the database has them.
        await().atMost(WAIT).untilAsserted(() -> assertThat(states(id)).endsWith(MigrationState.TRANSFERRING,
                MigrationState.COMPENSATING, MigrationState.ROLLED_BACK));
    }

    @Test
    void aStepThatTimesOutIsRetriedThenRolledBack() {
        Move move = twoHosts("db", c -> c.step() == MigrationStep.ACTIVATE ? AgentsOnTheBroker.Reply.IGNORE
                : AgentsOnTheBroker.Reply.SUCCEED);
        String src = move.src();
        String dst = move.dst();
        String guest = move.guest();
        String id = post(guest, dst);
        // A guest moves once at a time: a second request meanwhile is refused, naming the first.
        await().atMost(WAIT).untilAsserted(() -> assertThat(agents.commandsFor(guest))
                .anyMatch(c -> c.step() == MigrationStep.ACTIVATE));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"" + guest + "\",\"sourceHostId\":\"" + src + "\"}")
                .post("/api/v1/migrations").then().statusCode(201)
                .body("state", equalTo("REFUSED"))
                .body("reason", equalTo("guest " + guest + " is already moving (migration " + id + ", ACTIVATING)"));

        awaitState(id, MigrationState.ROLLED_BACK);
        List<MigrationCommand> activates = agents.commandsFor(guest).stream()
                .filter(c -> c.step() == MigrationStep.ACTIVATE).toList();
        assertThat(activates).extracting(MigrationCommand::commandId)
                .containsExactly(id + ":ACTIVATE:1", id + ":ACTIVATE:2");
        asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200)
                .body("failedIn", equalTo("ACTIVATING"))
                .body("reason", equalTo("ACTIVATE timed out on " + dst + " (attempt 2 of 2)"));
        assertThat(agents.commandsFor(guest)).filteredOn(c -> c.step() == MigrationStep.ABORT)
                .extracting(MigrationCommand::hostId).containsExactly(dst, src);
    }

    @Test
    void aNeverRestartGuestWithoutLiveMigrationIsRefusedWithTheReason() {
        String src = unique("src");
        String dst = unique("dst");
        String guest = unique("rt");
        Set<Capability> saveOnly = Set.of(Capability.SAVE_RESTORE);
        kafka.send(guest, new GuestPolicy(guest, 512, 8192, 1, 8, 0.7, 0.7, 100, true, true, null, Instant.now()));
        publishHost(src, 1024, saveOnly, new HostGuest(guest, 1024, 4096, 1, 4));
        publishHost(dst, 16384, saveOnly);
        await().atMost(WAIT).untilAsserted(() -> asViewer().queryParam("memoryMiB", 1).queryParam("vcpus", 1)
                .queryParam("neverRestart", true).get("/api/v1/placement").then().statusCode(200)
                .body("candidates.find { it.hostId == '" + dst + "' }.failedFilter", equalTo("MigrationMethodFilter")));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"" + guest + "\",\"targetHostId\":\"" + dst + "\"}")
                .post("/api/v1/migrations").then().statusCode(201)
                .body("state", equalTo("REFUSED"))
                .body("reason", containsString("the guest is neverRestart: save/restore would stop it"));
    }

    @Test
    void aSagaLeftMidTransferByAStoppedServiceResumesFromTheDatabase() {
        // What a service killed mid-transfer leaves behind: a row in TRANSFERRING whose attempt ran out while it
        // was down, and a state change still in its outbox. Nothing of it is in this process's memory.
        Move move = twoHosts("resumed", c -> AgentsOnTheBroker.Reply.SUCCEED);
        String src = move.src();
        String dst = move.dst();
        String guest = move.guest();
        String id = UUID.randomUUID().toString();
        Instant crashed = Instant.now().minusSeconds(60);
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("INSERT INTO migration (id, request_id, guest_id, source_host_id, target_host_id,"
                    + " state, reason, requested_by, required_memory_mib, required_vcpus, requested_at, updated_at,"
                    + " method, step, step_host_id, attempt, command_id, step_deadline)"
                    + " VALUES (?1, ?2, ?3, ?4, ?5, 'TRANSFERRING', 'before the crash', 'operator', 1024, 1, ?6, ?6,"
                    + " 'LIVE', 'TRANSFER', ?4, 1, ?7, ?8)")
                    .setParameter(1, id).setParameter(2, unique("req")).setParameter(3, guest)
                    .setParameter(4, src).setParameter(5, dst).setParameter(6, crashed)
                    .setParameter(7, id + ":TRANSFER:1").setParameter(8, crashed.plusSeconds(3))
                    .executeUpdate();
        });

        awaitState(id, MigrationState.COMPLETED);
        assertThat(agents.commandsFor(guest)).extracting(MigrationCommand::commandId)
                .containsExactly(id + ":TRANSFER:2", id + ":ACTIVATE:1", id + ":CLEANUP_SOURCE:1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(states(id)).containsExactly(MigrationState.ACTIVATING,
                MigrationState.CLEANING, MigrationState.COMPLETED));
    }

    @Test
    void anEventCommittedToTheOutboxButNeverSentIsPublishedUnderItsOwnId() {
        // A service stopped between its commit and its relay leaves the row behind; the relay sends it later,
        // with the event id it was given in the transaction, so that a consumer that saw it once dedupes it.
        String id = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        MigrationEvent event = new MigrationEvent(id, unique("g"), MigrationEvent.Kind.STATE_CHANGED, null, null,
                MigrationState.PLANNED, null, "a", "b", "left in the outbox", Instant.now());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO outbox (event_id, event_type,"
                        + " record_key, payload, created_at) VALUES (?1, 'dev.nuvola.migration.event.v1', ?2, ?3, ?4)")
                .setParameter(1, eventId).setParameter(2, id).setParameter(3, EventCodec.encode(event))
                .setParameter(4, Instant.now()).executeUpdate());
        await().atMost(WAIT).untilAsserted(() -> assertThat(kafka.envelopes(MigrationEvent.class))
                .filteredOn(e -> e.key().equals(id))
                .singleElement().satisfies(e -> {
                    assertThat(e.meta().id()).isEqualTo(eventId);
                    assertThat(e.payload()).isEqualTo(event);
                }));
        assertThat(QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT count(*) FROM outbox WHERE event_id = ?1").setParameter(1, eventId).getSingleResult()))
                .isEqualTo(0L);
    }

    @Test
    void badMigrationOrdersAreProblemsAndChangeNothing() {
        int before = asViewer().get("/api/v1/migrations").then().extract().jsonPath().getList("id").size();
        asOperator().contentType(ContentType.JSON).body("{}").post("/api/v1/migrations").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("guestId must not be null"));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"nobody-lists-me\"}").post("/api/v1/migrations")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no host lists guest 'nobody-lists-me'"));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"g\",\"sourceHostId\":\"no-such-host\"}")
                .post("/api/v1/migrations").then().statusCode(404).body("detail", containsString("no-such-host"));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"g\",\"memoryMiB\":\"lots\"}")
                .post("/api/v1/migrations").then().statusCode(400).contentType("application/problem+json");
        assertThat(asViewer().get("/api/v1/migrations").then().extract().jsonPath().getList("id")).hasSize(before);
    }

    record Move(String src, String dst, String guest) {
    }

    /** A 1 GiB guest on a source host, an empty target, and the agents' script for the guest. */
    static Move twoHosts(String guestPrefix, AgentsOnTheBroker.Script script) {
        return twoHosts(agents, guestPrefix, script);
    }

    static Move twoHosts(AgentsOnTheBroker agents, String guestPrefix, AgentsOnTheBroker.Script script) {
        Move move = new Move(unique("src"), unique("dst"), unique(guestPrefix));
        publishHost(move.src(), 1024, LIVE, new HostGuest(move.guest(), 1024, 4096, 1, 4));
        publishHost(move.dst(), 16384, LIVE);
        agents.script(move.guest(), script);
        return move;
    }

    static String post(String guest, String target) {
        return asOperator().contentType(ContentType.JSON)
                .body("{\"guestId\":\"" + guest + "\",\"targetHostId\":\"" + target + "\"}")
                .post("/api/v1/migrations").then().statusCode(201).extract().path("id");
    }

    static void publishHost(String hostId, long freeMiB, Set<Capability> caps, HostGuest... guests) {
        PlacementFixtures.publishHost(hostId, HostState.ACTIVE, freeMiB, caps, guests);
    }

    static void awaitState(String id, MigrationState state) {
        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200)
                .body("state", equalTo(state.name())));
    }

    /** The saga's STATE_CHANGED events on the broker, in order. */
    static List<MigrationState> states(String id) {
        return kafka.events(MigrationEvent.class, e -> e.migrationId().equals(id)
                && e.kind() == MigrationEvent.Kind.STATE_CHANGED).stream().map(MigrationEvent::state).toList();
    }

    static String idOfRequest(String requestId) {
        List<String> ids = asViewer().get("/api/v1/migrations").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.requestId == '" + requestId + "' }.id", String.class);
        return ids.isEmpty() ? null : ids.get(0);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
