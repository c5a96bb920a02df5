package dev.nuvola.inventory.messaging;

import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.eventId;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static dev.nuvola.inventory.TestFleet.unique;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The inventory against the real broker and PostgreSQL: host statuses, resize results and metrics in, the fleet
 * out over REST. Every test uses ids of its own, so the tests do not depend on each other or on their order.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class InventoryKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static final TestKafka kafka = TestKafka.shared();
    static Admin admin;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                NuvolaStackResource.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close(Duration.ofSeconds(5));
    }

    @Test
    void aHostStatusShowsTheHostAndItsGuests() {
        String host = unique("host");
        String small = host + "-a-small";
        String large = host + "-b-large";
        Instant observed = now();
        kafka.send(host, new HostStatus(host, observed, HostState.ACTIVE, "fd00::10", "libvirt",
                Set.of(Capability.LIVE_VCPU, Capability.LIVE_MEMORY_GROW), 65536, 40960, 32, 24,
                List.of(new HostGuest(large, 8192, 16384, 4, 8), new HostGuest(small, 1024, 4096, 1, 2))));

        awaitStatus("/api/v1/hosts/" + host, 200);
        asViewer().get("/api/v1/hosts/{id}", host).then().statusCode(200)
                .body("id", equalTo(host))
                .body("state", equalTo("ACTIVE"))
                .body("managementAddress", equalTo("fd00::10"))
                .body("driver", equalTo("libvirt"))
                .body("capabilities", contains("LIVE_MEMORY_GROW", "LIVE_VCPU"))
                .body("memoryTotalMiB", equalTo(65536))
                .body("memoryFreeMiB", equalTo(40960))
                .body("vcpusTotal", equalTo(32))
                .body("vcpusFree", equalTo(24))
                .body("observedAt", equalTo(observed.toString()));
        String inList = "find { it.id == '" + host + "' }";
        asViewer().get("/api/v1/hosts").then().statusCode(200)
                .body(inList + ".memoryTotalMiB", equalTo(65536))
                .body(inList + ".memoryFreeMiB", equalTo(40960))
                .body(inList + ".capabilities", contains("LIVE_MEMORY_GROW", "LIVE_VCPU"));

        asViewer().queryParam("host", host).get("/api/v1/guests").then().statusCode(200)
                .body("id", contains(small, large))
                .body("hostId", contains(host, host))
                .body("memoryMiB", contains(1024, 8192))
                .body("maxMemoryMiB", contains(4096, 16384))
                .body("vcpus", contains(1, 4))
                .body("maxVcpus", contains(2, 8));
        asViewer().get("/api/v1/guests/{id}", large).then().statusCode(200)
                .body("id", equalTo(large))
                .body("hostId", equalTo(host))
                .body("memoryMiB", equalTo(8192))
                .body("maxMemoryMiB", equalTo(16384))
                .body("vcpus", equalTo(4))
                .body("maxVcpus", equalTo(8))
                .body("sizeObservedAt", equalTo(observed.toString()))
                .body("memoryUsedMiB", nullValue());
    }

    @Test
    void anOlderStatusArrivingLateNeverOverwritesANewerOne() {
        String host = unique("host");
        String guest = host + "-g";
        Instant newer = now();
        kafka.send(host, status(host, newer, 5000, new HostGuest(guest, 4096, 8192, 4, 8)));
        ProducerRecord<String, byte[]> late = kafka.send(host,
                status(host, newer.minusSeconds(30), 1000, new HostGuest(guest, 1024, 8192, 1, 8)));

        // The late status is consumed (its id is recorded with the no-op) and changes nothing.
        await().atMost(WAIT).pollInSameThread().until(() -> processedCount(eventId(late)) == 1);
        asViewer().get("/api/v1/hosts/{id}", host).then().statusCode(200)
                .body("memoryFreeMiB", equalTo(5000))
                .body("observedAt", equalTo(newer.toString()));
        asViewer().get("/api/v1/guests/{id}", guest).then().statusCode(200)
                .body("memoryMiB", equalTo(4096))
                .body("vcpus", equalTo(4))
                .body("sizeObservedAt", equalTo(newer.toString()));
    }

    /** A status that only repeats the stored sizes is applied in bulk; it must still count as the newer truth. */
    @Test
    void aStatusRepeatingTheSizesStillBeatsAnOlderResultArrivingLate() {
        String host = unique("host");
        String guest = host + "-g";
        Instant first = now().minusSeconds(60);
        kafka.send(host, status(host, first, 30000, new HostGuest(guest, 2048, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);
        Instant second = first.plusSeconds(20);
        kafka.send(host, status(host, second, 30000, new HostGuest(guest, 2048, 8192, 2, 4)));
        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("sizeObservedAt", equalTo(second.toString())));

        // Completed between the two statuses, so the second status's 2048 MiB is the later truth; it arrives last.
        ResizeResult late = new ResizeResult(unique("cmd"), guest, host, ResizeOutcome.APPLIED, null, "late",
                new GuestSize(2048, 2), new GuestSize(3072, 2), first.plusSeconds(10));
        ProducerRecord<String, byte[]> sent = kafka.send(guest, late);

        await().atMost(WAIT).pollInSameThread().until(() -> processedCount(eventId(sent)) == 1);
        asViewer().get("/api/v1/guests/{id}", guest).then().statusCode(200)
                .body("memoryMiB", equalTo(2048))
                .body("sizeObservedAt", equalTo(second.toString()));
    }

    @Test
    void anAppliedResizeIsRecordedOnceHoweverOftenItArrives() {
        String host = unique("host");
        String guest = host + "-g";
        String command = unique("cmd");
        Instant observed = now().minusSeconds(60);
        kafka.send(host, status(host, observed, 30000, new HostGuest(guest, 2048, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);

        ResizeResult applied = new ResizeResult(command, guest, host, ResizeOutcome.APPLIED, null,
                "memory above 85% of assigned", new GuestSize(2048, 2), new GuestSize(3072, 2),
                observed.plusSeconds(30));
        ProducerRecord<String, byte[]> first = kafka.send(guest, applied);

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("memoryMiB", equalTo(3072)));
        asViewer().get("/api/v1/guests/{id}/history", guest).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].kind", equalTo("RESIZE"))
                .body("[0].id", equalTo(command))
                .body("[0].hostId", equalTo(host))
                .body("[0].outcome", equalTo("APPLIED"))
                .body("[0].message", equalTo("memory above 85% of assigned"))
                .body("[0].reasonCode", nullValue())
                .body("[0].memoryBeforeMiB", equalTo(2048))
                .body("[0].memoryAfterMiB", equalTo(3072))
                .body("[0].vcpusBefore", equalTo(2))
                .body("[0].vcpusAfter", equalTo(2));

        // The very same record again (same ce_id), then the same command's result under a new event id with
        // another size, then a marker on the same key (so the same partition, consumed after them).
        kafka.send(first);
        ResizeResult repeated = new ResizeResult(command, guest, host, ResizeOutcome.APPLIED, null,
                "repeated", new GuestSize(2048, 2), new GuestSize(4096, 3), observed.plusSeconds(40));
        ProducerRecord<String, byte[]> repeat = kafka.send(guest, repeated);
        String marker = unique("cmd-marker");
        kafka.send(guest, new ResizeResult(marker, guest, host, ResizeOutcome.REJECTED, "ABOVE_POLICY_MAX",
                "marker", new GuestSize(3072, 2), new GuestSize(3072, 2), observed.plusSeconds(50)));

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}/history", guest).then()
                .body("id", contains(command, marker)));
        asViewer().get("/api/v1/guests/{id}/history", guest).then().statusCode(200)
                .body("[0].memoryAfterMiB", equalTo(3072))
                .body("[0].message", equalTo("memory above 85% of assigned"));
        asViewer().get("/api/v1/guests/{id}", guest).then().body("memoryMiB", equalTo(3072)).body("vcpus", equalTo(2));

        // Dedupe happened in the database: each event id is there once, and nothing went to the DLQ.
        assertThat(processedCount(eventId(first))).isEqualTo(1);
        assertThat(processedCount(eventId(repeat))).isEqualTo(1);
        assertThat(resizeRecordCount(command)).isEqualTo(1);
        assertThat(kafka.readAll(Topics.dlq(Topics.RESIZE_RESULTS))).noneMatch(r -> guest.equals(r.key()));
    }

    @Test
    void aRejectedResizeIsHistoryWithItsReasonAndLeavesTheSize() {
        String host = unique("host");
        String guest = host + "-g";
        String command = unique("cmd");
        Instant observed = now().minusSeconds(60);
        kafka.send(host, status(host, observed, 30000, new HostGuest(guest, 2048, 4096, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);

        kafka.send(guest, new ResizeResult(command, guest, host, ResizeOutcome.REJECTED, "ABOVE_POLICY_MAX",
                "8192 MiB is above the policy's 4096", new GuestSize(2048, 2), new GuestSize(2048, 2),
                observed.plusSeconds(10)));

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}/history", guest).then()
                .body("$", hasSize(1)));
        asViewer().get("/api/v1/guests/{id}/history", guest).then().statusCode(200)
                .body("[0].kind", equalTo("RESIZE"))
                .body("[0].id", equalTo(command))
                .body("[0].outcome", equalTo("REJECTED"))
                .body("[0].reasonCode", equalTo("ABOVE_POLICY_MAX"))
                .body("[0].message", equalTo("8192 MiB is above the policy's 4096"));
        asViewer().get("/api/v1/guests/{id}", guest).then().statusCode(200)
                .body("memoryMiB", equalTo(2048))
                .body("vcpus", equalTo(2))
                .body("sizeObservedAt", equalTo(observed.toString()));
    }

    @Test
    void theFirstSampleIsStoredAndSamplesWithinTheIntervalAreNot() {
        String host = unique("host");
        String guest = host + "-g";
        kafka.send(host, status(host, Instant.now(), 30000, new HostGuest(guest, 4096, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);

        Instant t0 = now();
        // The metrics consumer starts at the latest offset: until it has its partitions, a sample is not seen.
        // Re-sending the same sample is harmless (same sampledAt: inside the interval of the stored one).
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            kafka.send(guest, sample(guest, host, t0, 1000, 0.25));
            return Long.valueOf(1000).equals(memoryUsed(guest));
        });
        asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("cpuUsage", equalTo(0.25f))
                .body("sampledAt", equalTo(t0.toString()));

        // 2 s after the stored one: dropped. Once the consumer has committed past it, the stored sample is the same.
        ProducerRecord<String, byte[]> within = kafka.send(guest, sample(guest, host, t0.plusSeconds(2), 2000, 0.5));
        ConsumerRecord<String, byte[]> sent = kafka.readAll(Topics.GUEST_METRICS).stream()
                .filter(r -> eventId(within).equals(header(r, CloudEvent.ID))).findFirst().orElseThrow();
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        String group = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.guest-metrics.group.id", String.class);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> committedOffset(group, partition) > sent.offset());
        asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("memoryUsedMiB", equalTo(1000))
                .body("sampledAt", equalTo(t0.toString()));

        // 6 s after the stored one: kept. (Had the 2 s sample counted as stored, this one would be only 4 s after
        // it and dropped.)
        kafka.send(guest, sample(guest, host, t0.plusSeconds(6), 3000, 0.75));
        await().atMost(WAIT).until(() -> Long.valueOf(3000).equals(memoryUsed(guest)));
        asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("cpuUsage", equalTo(0.75f))
                .body("sampledAt", equalTo(t0.plusSeconds(6).toString()));
    }

    @Test
    void aMalformedStatusGoesToTheDlqWithItsReasonAndTheConsumerGoesOn() {
        String broken = unique("broken");
        String after = unique("host-after-broken");
        kafka.send(new ProducerRecord<>(Topics.HOST_STATUS, broken, "{not json".getBytes(StandardCharsets.UTF_8)));
        kafka.send(after, status(after, Instant.now(), 1234, new HostGuest(after + "-g", 512, 1024, 1, 1)));

        await().atMost(WAIT).until(() -> kafka.readAll(Topics.dlq(Topics.HOST_STATUS)).stream()
                .anyMatch(r -> broken.equals(r.key())));
        ConsumerRecord<String, byte[]> dead = kafka.readAll(Topics.dlq(Topics.HOST_STATUS)).stream()
                .filter(r -> broken.equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(dead.headers().lastHeader("dead-letter-reason")).isNotNull();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .isNotBlank();

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/hosts/{id}", after).then()
                .statusCode(200).body("memoryFreeMiB", equalTo(1234)));
    }

    static GuestMetrics sample(String guest, String host, Instant at, long used, double cpu) {
        return new GuestMetrics(guest, host, at, 4096, used, 4096 - used, 2, cpu, null, null);
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The offset the service's consumer group has committed on {@code partition}, -1 for none yet. */
    static long committedOffset(String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).get(partition);
        return committed == null ? -1 : committed.offset();
    }

    static Long memoryUsed(String guest) {
        JsonPath body = asViewer().get("/api/v1/guests/{id}", guest).then().statusCode(200).extract().jsonPath();
        Object used = body.get("memoryUsedMiB");
        return used == null ? null : ((Number) used).longValue();
    }

    long processedCount(String eventId) {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM processed_event WHERE event_id = ?1")
                .setParameter(1, eventId).getSingleResult()).longValue();
    }

    long resizeRecordCount(String commandId) {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM resize_record WHERE command_id = ?1")
                .setParameter(1, commandId).getSingleResult()).longValue();
    }
}
