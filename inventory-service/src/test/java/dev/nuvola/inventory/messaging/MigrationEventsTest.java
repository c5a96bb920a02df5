package dev.nuvola.inventory.messaging;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.eventId;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static dev.nuvola.inventory.TestFleet.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Migration events and sampled metrics against the real broker and PostgreSQL. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class MigrationEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    static final TestKafka kafka = TestKafka.shared();

    @Inject
    EntityManager entityManager;

    @Test
    void aCompletedMigrationMovesTheGuestAndIsInItsTimelineWithReasons() {
        String source = unique("src");
        String target = unique("dst");
        String guest = source + "-g";
        String migration = unique("mig");
        Instant t0 = now().minusSeconds(120);
        kafka.send(source, status(source, t0, 30000, new HostGuest(guest, 2048, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);

        kafka.send(migration, changed(migration, guest, MigrationState.PLANNED, source, target,
                "host full: a grow to 6144 MiB needs 4096 MiB free", t0.plusSeconds(10)));
        kafka.send(migration, new MigrationEvent(migration, guest, MigrationEvent.Kind.STEP_SUCCEEDED,
                MigrationStep.TRANSFER, unique("cmd"), null, target, null, null, null, t0.plusSeconds(20)));
        ProducerRecord<String, byte[]> completed = kafka.send(migration, changed(migration, guest,
                MigrationState.COMPLETED, source, target, null, t0.plusSeconds(30)));

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("hostId", equalTo(target)));
        // The same completion again: recorded once.
        kafka.send(completed);
        // A status from the source host observed before the migration completed, arriving late, does not move
        // the guest back.
        ProducerRecord<String, byte[]> stale = kafka.send(source, status(source, t0.plusSeconds(25), 30000,
                new HostGuest(guest, 2048, 8192, 2, 4)));
        await().atMost(WAIT).until(() -> processed(eventId(stale)) == 1);

        asViewer().get("/api/v1/guests/{id}", guest).then().body("hostId", equalTo(target));
        asViewer().get("/api/v1/guests/{id}/history", guest).then().statusCode(200)
                .body("$", hasSize(3))
                .body("kind", contains("MIGRATION", "MIGRATION", "MIGRATION"))
                .body("outcome", contains("PLANNED", "STEP_SUCCEEDED", "COMPLETED"))
                .body("[0].message", equalTo("host full: a grow to 6144 MiB needs 4096 MiB free"))
                .body("[0].sourceHostId", equalTo(source))
                .body("[0].targetHostId", equalTo(target))
                .body("[1].step", equalTo("TRANSFER"));
        assertThat(processed(eventId(completed))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM migration_step_record WHERE migration_id = ?1", migration)).isEqualTo(3);
    }

    @Test
    void anOlderMigrationEventArrivingLateDoesNotUndoTheState() {
        String host = unique("host");
        String guest = host + "-g";
        String migration = unique("mig");
        Instant t0 = now().minusSeconds(120);
        kafka.send(host, status(host, t0, 30000, new HostGuest(guest, 2048, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);

        kafka.send(migration, changed(migration, guest, MigrationState.ROLLED_BACK, host, "other",
                "transfer failed: target refused", t0.plusSeconds(30)));
        ProducerRecord<String, byte[]> late = kafka.send(migration, changed(migration, guest,
                MigrationState.TRANSFERRING, host, "other", null, t0.plusSeconds(20)));
        await().atMost(WAIT).until(() -> processed(eventId(late)) == 1);

        assertThat(text("SELECT state FROM migration_record WHERE migration_id = ?1", migration))
                .isEqualTo("ROLLED_BACK");
        assertThat(text("SELECT reason FROM migration_record WHERE migration_id = ?1", migration))
                .isEqualTo("transfer failed: target refused");
        // Rolled back: the guest stays where it was.
        asViewer().get("/api/v1/guests/{id}", guest).then().body("hostId", equalTo(host));
        // The timeline is in event time, whatever the order of arrival.
        asViewer().get("/api/v1/guests/{id}/history", guest).then()
                .body("outcome", contains("TRANSFERRING", "ROLLED_BACK"));
    }

    @Test
    void aMalformedMigrationEventGoesToTheDlq() {
        String key = unique("bad-mig");
        kafka.send(new ProducerRecord<>(Topics.MIGRATION_EVENTS, key, "[]".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> kafka.readAll(Topics.dlq(Topics.MIGRATION_EVENTS)).stream()
                .anyMatch(r -> key.equals(r.key())));
    }

    @Test
    void keptSamplesAreRecordedOnceByEventIdAndFeedTheChart() {
        String host = unique("host");
        String guest = host + "-g";
        kafka.send(host, status(host, Instant.now(), 30000, new HostGuest(guest, 4096, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);
        Instant t0 = now();
        // The metrics consumer starts at the latest offset: resend until it has its partitions.
        ProducerRecord<String, byte[]>[] first = new ProducerRecord[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            first[0] = kafka.send(guest, new GuestMetrics(guest, host, t0, 4096, 1500, 2596, 2, 0.3, null, null));
            return count("SELECT count(*) FROM guest_sample WHERE guest_id = ?1", guest) == 1;
        });
        kafka.send(guest, new GuestMetrics(guest, host, t0.plusSeconds(1), 4096, 1600, 2496, 2, 0.3, null, null));
        kafka.send(guest, new GuestMetrics(guest, host, t0.minusSeconds(30), 4096, 100, 3996, 2, 0.3, null, null));
        kafka.send(guest, new GuestMetrics(guest, host, t0.plusSeconds(10), 4096, 2500, 1596, 2, 0.6, null, null));
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM guest_sample WHERE guest_id = ?1", guest) == 2);

        asViewer().get("/api/v1/guests/{id}/samples", guest).then().statusCode(200)
                .body("memoryUsedMiB", contains(1500, 2500))
                .body("memoryAssignedMiB", contains(4096, 4096));
        asViewer().get("/api/v1/guests/{id}", guest).then().body("memoryUsedMiB", equalTo(2500));
        // Only kept samples' ids are recorded: at most one per interval, not one per second.
        assertThat(count("SELECT count(*) FROM processed_event WHERE event_id = ?1", eventId(first[0])))
                .isLessThanOrEqualTo(1);
    }

    static MigrationEvent changed(String migration, String guest, MigrationState state, String source, String target,
                                  String reason, Instant at) {
        return new MigrationEvent(migration, guest, MigrationEvent.Kind.STATE_CHANGED, null, null, state, null, source,
                target, reason, at);
    }

    long processed(String eventId) {
        return count("SELECT count(*) FROM processed_event WHERE event_id = ?1", eventId);
    }

    /** In a transaction of its own: awaitility polls from another thread, which has no request context. */
    long count(String sql, String parameter) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(sql)
                .setParameter(1, parameter).getSingleResult()).longValue());
    }

    String text(String sql, String parameter) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entityManager.createNativeQuery(sql)
                .setParameter(1, parameter).getSingleResult());
    }
}
