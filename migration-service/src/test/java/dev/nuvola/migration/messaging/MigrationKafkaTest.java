package dev.nuvola.migration.messaging;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.Topics;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Migration requests in from the real broker, sagas out over REST; bad records to the DLQ. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class MigrationKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static final TestKafka kafka = TestKafka.shared();

    @Test
    void aRequestBecomesARequestedMigration() {
        String guest = unique("guest");
        String requestId = unique("req");
        Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        kafka.send(guest, new MigrationRequest(requestId, guest, "host-src", "host full: grow to 6144 MiB",
                "scaler-service", new GuestSize(6144, 4), null, requestedAt));

        List<String> ids = awaitMigrations(requestId, 1);
        String id = ids.get(0);
        String inList = "find { it.requestId == '" + requestId + "' }";
        asViewer().queryParam("state", "REQUESTED").get("/api/v1/migrations").then().statusCode(200)
                .body("id", hasItem(id))
                .body(inList + ".state", equalTo("REQUESTED"))
                .body(inList + ".guestId", equalTo(guest));
        asViewer().get("/api/v1/migrations/{id}", id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("requestId", equalTo(requestId))
                .body("guestId", equalTo(guest))
                .body("sourceHostId", equalTo("host-src"))
                .body("targetHostId", nullValue())
                .body("state", equalTo("REQUESTED"))
                .body("reason", equalTo("host full: grow to 6144 MiB"))
                .body("requestedBy", equalTo("scaler-service"))
                .body("requiredMemoryMiB", equalTo(6144))
                .body("requiredVcpus", equalTo(4))
                .body("requestedAt", equalTo(requestedAt.toString()));
        // Another state's list does not have it.
        asViewer().queryParam("state", "COMPLETED").get("/api/v1/migrations").then().statusCode(200)
                .body("requestId", not(hasItem(requestId)));
    }

    @Test
    void aRequestDeliveredAgainOrRepeatedIsOneMigration() {
        String guest = unique("guest");
        String requestId = unique("req");
        Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MigrationRequest request = new MigrationRequest(requestId, guest, "host-src", "drain host-src",
                "operator", new GuestSize(2048, 2), "host-dst", requestedAt);
        ProducerRecord<String, byte[]> first = kafka.send(guest, request);
        kafka.send(first);
        // The same request id under a new event id (a retrying producer), then a marker on the same key, hence
        // the same partition: once the marker is in, the repeats before it have been consumed.
        kafka.send(guest, new MigrationRequest(requestId, guest, "host-src", "drain host-src (retry)",
                "operator", new GuestSize(4096, 4), null, requestedAt.plusSeconds(1)));
        String marker = unique("req-marker");
        kafka.send(guest, new MigrationRequest(marker, guest, "host-src", "marker", "operator",
                new GuestSize(1024, 1), null, requestedAt.plusSeconds(2)));

        awaitMigrations(marker, 1);
        List<String> ids = migrationIds(requestId);
        assertThat(ids).hasSize(1);
        asViewer().get("/api/v1/migrations/{id}", ids.get(0)).then().statusCode(200)
                .body("reason", equalTo("drain host-src"))
                .body("targetHostId", equalTo("host-dst"))
                .body("requiredMemoryMiB", equalTo(2048));
        assertThat(kafka.readAll(Topics.dlq(Topics.MIGRATION_REQUESTS))).noneMatch(r -> guest.equals(r.key()));
    }

    @Test
    void aMalformedRequestGoesToTheDlqWithItsReasonAndTheConsumerGoesOn() {
        String broken = unique("broken");
        String guest = unique("guest-after-broken");
        String requestId = unique("req");
        kafka.send(new ProducerRecord<>(Topics.MIGRATION_REQUESTS, broken,
                "{not json".getBytes(StandardCharsets.UTF_8)));
        kafka.send(guest, new MigrationRequest(requestId, guest, "host-src", "after the broken one", "operator",
                new GuestSize(1024, 1), null, Instant.now()));

        await().atMost(WAIT).until(() -> kafka.readAll(Topics.dlq(Topics.MIGRATION_REQUESTS)).stream()
                .anyMatch(r -> broken.equals(r.key())));
        ConsumerRecord<String, byte[]> dead = kafka.readAll(Topics.dlq(Topics.MIGRATION_REQUESTS)).stream()
                .filter(r -> broken.equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(dead.headers().lastHeader("dead-letter-reason")).isNotNull();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .isNotBlank();

        awaitMigrations(requestId, 1);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Waits until {@code count} migrations have request id {@code requestId}; returns their ids. */
    static List<String> awaitMigrations(String requestId, int count) {
        await().atMost(WAIT).until(() -> migrationIds(requestId).size() >= count);
        return migrationIds(requestId);
    }

    static List<String> migrationIds(String requestId) {
        return asViewer().get("/api/v1/migrations").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.requestId == '" + requestId + "' }.id", String.class);
    }
}
