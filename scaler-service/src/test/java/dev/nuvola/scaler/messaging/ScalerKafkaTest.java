package dev.nuvola.scaler.messaging;

import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.ConsumerLag;
import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import dev.nuvola.kit.messaging.DeadLetters;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.smallrye.common.annotation.Identifier;

/** The scaler against the real broker, one decision path per test. Each test uses hosts and guests of its own. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(NuvolaStackResource.class)
class ScalerKafkaTest {
    static final TestKafka kafka = TestKafka.shared();

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaDefaults;

    /** The settings every client of the scaler is built with, its samples consumer too (see ScalingInputs). */
    @Test
    void itsKafkaClientsLeaveSocketBuffersToTheOperatingSystem() {
        assertThat(kafkaDefaults).containsEntry("receive.buffer.bytes", "-1").containsEntry("send.buffer.bytes", "-1");
    }

    @Test
    void aGuestAboveItsBandGrowsInPlaceWhenItsHostHasRoom() {
        kafka.send("h-grow", host("h-grow", 8192, new HostGuest("g-grow", 2048, 8192, 2, 8)));
        List<ResizeCommand> commands = sampleUntil("g-grow", "h-grow", 2048, 1800,
                () -> commandsFor("g-grow"));
        ResizeCommand command = commands.get(0);
        assertThat(commands).hasSize(1);
        assertThat(command.hostId()).isEqualTo("h-grow");
        assertThat(command.targetMemoryMiB()).isGreaterThan(2048).isLessThanOrEqualTo(8192);
        assertThat(command.targetMemoryMiB() % 128).isZero();
        assertThat(command.basedOn().memoryUsedMiB()).isEqualTo(1800);
        assertThat(command.deadline()).isAfter(command.issuedAt());
        assertThat(kafka.readAll(Topics.RESIZE_COMMANDS)).filteredOn(r -> utf8(r).contains("g-grow"))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo("h-grow"));

        asViewer().queryParam("guest", "g-grow").get("/api/v1/decisions").then().statusCode(200)
                .body("[0].action", equalTo("RESIZE")).body("[0].commandId", equalTo(command.commandId()))
                .body("[0].reason", equalTo(command.reason()));
        asViewer().get("/api/v1/guests/g-grow/recommendation").then().statusCode(200)
                .body("recommendation.targetMemoryMiB", greaterThan(2048))
                .body("recommendation.current.memoryMiB", equalTo(2048))
                .body("lastDecision.action", equalTo("RESIZE"));
    }

    @Test
    void aMovableGuestOnAFullHostIsMovedAtItsNewSize() {
        kafka.send("h-full", host("h-full", 0, new HostGuest("g-move", 2048, 8192, 2, 8)));
        List<MigrationRequest> requests = sampleUntil("g-move", "h-full", 2048, 1900, () -> migrationsOf("g-move"));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).sourceHostId()).isEqualTo("h-full");
        assertThat(requests.get(0).requiredSize().memoryMiB()).isGreaterThan(2048);
        assertThat(requests.get(0).reason()).contains("short of");
        assertThat(commandsFor("g-move")).isEmpty();
    }

    @Test
    void aGuestThatMayNotMoveGetsRoomFromLowerPriorityNeighboursThenGrows() {
        kafka.send("xmpp-r", policy("xmpp-r", 100, false));
        kafka.send("web-r", policy("web-r", 10, true));
        kafka.send("db-r", policy("db-r", 200, true));
        HostGuest xmpp = new HostGuest("xmpp-r", 2048, 8192, 2, 8);
        HostGuest web = new HostGuest("web-r", 2048, 4096, 1, 4);
        HostGuest db = new HostGuest("db-r", 2048, 8192, 2, 4);
        kafka.send("h-room", host("h-room", 0, xmpp, web, db));

        // Policies are a table the scaler reads at its own pace: sample until the plan reflects them.
        List<MigrationRequest> moved = sampleUntil("xmpp-r", "h-room", 2048, 1900, () -> migrationsOf("web-r"));
        assertThat(moved.get(0).reason()).contains("make room on h-room for xmpp-r");
        assertThat(migrationsOf("xmpp-r")).isEmpty();
        assertThat(migrationsOf("db-r")).isEmpty();
        assertThat(commandsFor("xmpp-r")).isEmpty();
        asViewer().queryParam("guest", "xmpp-r").get("/api/v1/decisions").then()
                .body("[0].action", equalTo("MAKE_ROOM"));

        // web-r leaves: its migration completes. Until h-room reports the room it left, its last status still lists
        // web-r and no free memory: samples read then must neither ask to move web-r again nor grow xmpp-r.
        kafka.send("mig-web-r", new MigrationEvent("mig-web-r", "web-r", MigrationEvent.Kind.STATE_CHANGED, null, null,
                MigrationState.COMPLETED, null, "h-room", "h-other", null, Instant.now()));
        for (int i = 0; i < 5; i++) {
            kafka.send("xmpp-r", sample("xmpp-r", "h-room", 2048, 1900));
            sleep(300);
        }
        assertThat(migrationsOf("web-r")).hasSize(1);
        assertThat(commandsFor("xmpp-r")).isEmpty();
        kafka.send("h-room", host("h-room", 2048, xmpp, db));
        List<ResizeCommand> grown = sampleUntil("xmpp-r", "h-room", 2048, 1900, () -> commandsFor("xmpp-r"));
        assertThat(grown.get(0).targetMemoryMiB()).isGreaterThan(2048);
        assertThat(grown.get(0).hostId()).isEqualTo("h-room");
    }

    @Test
    void aGrowRefusedByTheAgentForCapacityEscalatesToAMigration() {
        kafka.send("h-esc", host("h-esc", 8192, new HostGuest("g-esc", 2048, 8192, 2, 8)));
        ResizeCommand command = sampleUntil("g-esc", "h-esc", 2048, 1800, () -> commandsFor("g-esc")).get(0);
        kafka.send("g-esc", new ResizeResult(command.commandId(), "g-esc", "h-esc", ResizeOutcome.REJECTED,
                "INSUFFICIENT_HOST_CAPACITY", "growing by 384 MiB needs more than the host's 0 MiB free",
                new GuestSize(2048, 2), new GuestSize(2048, 2), Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> !migrationsOf("g-esc").isEmpty());
        assertThat(migrationsOf("g-esc").get(0).reason()).contains("refused the grow for capacity");
    }

    @Test
    void repeatedDriverFailuresBackOff() {
        kafka.send("h-fail", host("h-fail", 8192, new HostGuest("g-fail", 2048, 8192, 2, 8)));
        for (int attempt = 1; attempt <= 3; attempt++) {
            int expected = attempt;
            List<ResizeCommand> commands = sampleUntil("g-fail", "h-fail", 2048, 1800, () -> {
                List<ResizeCommand> all = commandsFor("g-fail");
                return all.size() >= expected ? all : List.of();
            });
            ResizeCommand last = commands.get(commands.size() - 1);
            kafka.send("g-fail", new ResizeResult(last.commandId(), "g-fail", "h-fail", ResizeOutcome.FAILED,
                    "DRIVER_ERROR", "libvirt: internal error", new GuestSize(2048, 2), new GuestSize(2048, 2),
                    Instant.now()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> asViewer().queryParam("guest", "g-fail")
                .get("/api/v1/decisions").then().extract().path("[0].action") != null
                && "BACK_OFF".equals(asViewer().queryParam("guest", "g-fail").get("/api/v1/decisions").then().extract()
                .path("[0].action")));
        kafka.send("g-fail", sample("g-fail", "h-fail", 2048, 1800));
        assertThat(commandsFor("g-fail")).hasSize(3);
    }

    @Test
    void aMalformedRecordInABatchGoesToTheDlqAloneAndTheRestIsDecided() {
        kafka.send("h-dlq", host("h-dlq", 8192, new HostGuest("after-broken", 1024, 4096, 1, 4)));
        kafka.send(new ProducerRecord<>(Topics.GUEST_METRICS, "broken", "{not json".getBytes(StandardCharsets.UTF_8)));
        sampleUntil("after-broken", "h-dlq", 1024, 1000, () -> commandsFor("after-broken"));
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.readAll(Topics.dlq(Topics.GUEST_METRICS)).stream()
                .anyMatch(r -> "broken".equals(r.key())));
        ConsumerRecord<String, byte[]> dead = kafka.readAll(Topics.dlq(Topics.GUEST_METRICS)).stream()
                .filter(r -> "broken".equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .isNotBlank();
        assertThat(kafka.readAll(Topics.dlq(Topics.GUEST_METRICS))).noneMatch(r -> "after-broken".equals(r.key()));
    }

    /**
     * The largest record a producer may send (1 MiB with its headers) cannot go back out with the .dlq headers
     * added: the copy keeps the value's head and says how long it was, and the consumer goes on instead of
     * stopping on a send the producer refuses.
     */
    @Test
    void theLargestRecordIsDeadLetteredCutAndTheConsumerGoesOn() {
        kafka.send("h-huge", host("h-huge", 8192, new HostGuest("after-huge", 1024, 4096, 1, 4)));
        int size = largestValue("huge");
        byte[] huge = new byte[size];
        Arrays.fill(huge, (byte) 'x');
        kafka.send(new ProducerRecord<>(Topics.GUEST_METRICS, "huge", huge));
        sampleUntil("after-huge", "h-huge", 1024, 1000, () -> commandsFor("after-huge"));
        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20)).until(() -> kafka
                .readAll(Topics.dlq(Topics.GUEST_METRICS)).stream().filter(r -> "huge".equals(r.key())).toList(),
                l -> !l.isEmpty()).get(0);
        assertThat(dead.value()).hasSize(DeadLetters.KEPT_VALUE_BYTES);
        assertThat(header(dead, DeadLetters.VALUE_BYTES)).isEqualTo(Integer.toString(size));
        assertThat(header(dead, DeadLetters.REASON)).isNotBlank();
        assertThat(header(dead, DeadLetters.TOPIC)).isEqualTo(Topics.GUEST_METRICS);
        assertThat(header(dead, DeadLetters.CONSUMER)).isEqualTo("/nuvola/scaler-service");
    }

    /** A key, a header and a reason of hundreds of kilobytes each are cut too, or the copy would not fit. */
    @Test
    void hugeKeysAndHeadersAreDeadLetteredCutAndTheConsumerGoesOn() {
        kafka.send("h-wide", host("h-wide", 8192, new HostGuest("after-wide", 1024, 4096, 1, 4)));
        String key = "k".repeat(100_000);
        byte[] version = new byte[400_000];
        Arrays.fill(version, (byte) '9');
        byte[] pad = new byte[500_000];
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", version);
        headers.add("x-padding", pad);
        headers.add("x-small", "kept".getBytes(StandardCharsets.UTF_8));
        kafka.send(new ProducerRecord<>(Topics.GUEST_METRICS, null, key, "{}".getBytes(StandardCharsets.UTF_8),
                headers));
        sampleUntil("after-wide", "h-wide", 1024, 1000, () -> commandsFor("after-wide"));
        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20)).until(() -> kafka
                .readAll(Topics.dlq(Topics.GUEST_METRICS)).stream().filter(r -> r.key() != null && r.key().startsWith("kkkk")).toList(),
                l -> !l.isEmpty()).get(0);
        assertThat(dead.key()).hasSize(DeadLetters.KEPT_KEY_CHARS).startsWith("kkkk");
        assertThat(header(dead, DeadLetters.REASON)).startsWith("ce_specversion").hasSize(DeadLetters.KEPT_REASON_CHARS);
        assertThat(header(dead, DeadLetters.DROPPED_HEADERS)).isEqualTo("2 headers, 900023 bytes");
        assertThat(header(dead, "x-small")).isEqualTo("kept");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    /** The longest value under {@code key}, without headers, that fits the producer's default 1 MiB request. */
    private static int largestValue(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int size = 1 << 20;
        while (AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                k, new byte[size], new Header[0]) > 1 << 20) {
            size -= 8;
        }
        return size;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aManualResizeTakesTheSamePathAndBadOnesAreProblems() {
        kafka.send("h-manual", host("h-manual", 8192, new HostGuest("g-manual", 2048, 8192, 2, 8)));
        await().atMost(Duration.ofSeconds(20)).until(() -> asOperator().contentType(ContentType.JSON)
                .body("{\"guestId\":\"nobody\",\"memoryMiB\":1024}").post("/api/v1/resizes").statusCode() == 404
                && asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"g-manual\",\"memoryMiB\":99999}")
                .post("/api/v1/resizes").statusCode() == 400);
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"g-manual\",\"memoryMiB\":99999}")
                .post("/api/v1/resizes").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("memoryMiB must be from"));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"g-manual\"}").post("/api/v1/resizes").then()
                .statusCode(400).body("detail", equalTo("give memoryMiB, vcpus or both"));
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"g-manual\",\"memoryMiB\":\"lots\"}")
                .post("/api/v1/resizes").then().statusCode(400).contentType("application/problem+json");
        assertThat(commandsFor("g-manual")).isEmpty();

        String commandId = asOperator().contentType(ContentType.JSON)
                .body("{\"guestId\":\"g-manual\",\"memoryMiB\":3072,\"vcpus\":4,\"reason\":\"sale tonight\"}")
                .post("/api/v1/resizes").then().statusCode(202).body("action", equalTo("RESIZE"))
                .extract().path("commandId");
        await().atMost(Duration.ofSeconds(20)).until(() -> !commandsFor("g-manual").isEmpty());
        ResizeCommand command = commandsFor("g-manual").get(0);
        assertThat(command.commandId()).isEqualTo(commandId);
        assertThat(command.targetMemoryMiB()).isEqualTo(3072);
        assertThat(command.targetVcpus()).isEqualTo(4);
        assertThat(command.requestedBy()).isEqualTo("operator");
        assertThat(command.reason()).contains("sale tonight");
    }

    /**
     * A batch's offsets are committed once it is decided, also when nothing follows it: the group reaches the end of
     * the samples' log without more records, so a restarted or new owner does not decide the same samples again.
     */
    @Test
    void theLastBatchIsCommittedOnceDecidedWithoutWaitingForMore() {
        kafka.send("h-commit", host("h-commit", 8192, new HostGuest("g-commit", 2048, 8192, 2, 8)));
        sampleUntil("g-commit", "h-commit", 2048, 1800, () -> commandsFor("g-commit"));
        try (ConsumerLag lag = new ConsumerLag(NuvolaStackResource.bootstrapServers())) {
            lag.awaitCaughtUp(Map.of("nuvola-scaler", List.of(Topics.GUEST_METRICS)), Duration.ofSeconds(10));
        }
    }

    /**
     * Samples every 20 ms for 3 s: polls keep finding records, and their offsets are committed once a second (the
     * commit interval), not after every poll as before, which made 100 commits a second at 5,000 guests.
     */
    @Test
    void commitsOnceAnIntervalWhileSamplesKeepComing() {
        kafka.send("h-steady", host("h-steady", 8192, new HostGuest("g-steady", 2048, 8192, 2, 8)));
        double before = inputCommits();
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int sent = 0;
        while (System.nanoTime() < end) {
            kafka.send("g-steady", sample("g-steady", "h-steady", 2048, 1434));
            sent++;
            sleep(20);
        }
        try (ConsumerLag lag = new ConsumerLag(NuvolaStackResource.bootstrapServers())) {
            lag.awaitCaughtUp(Map.of("nuvola-scaler", List.of(Topics.GUEST_METRICS)), Duration.ofSeconds(10));
        }
        double commits = inputCommits() - before;
        assertThat(sent).isGreaterThan(50);
        // Three or four on the interval, and one when the polls find nothing new: far below one a poll.
        assertThat(commits).isBetween(2.0, 8.0);
    }

    /** The samples consumer's commits so far, from its Kafka client metrics. */
    private static double inputCommits() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("kafka_consumer_coordinator_commit_total{")
                        && l.contains("client_id=\"" + ScalingInputs.CLIENT_ID + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no commit count for " + ScalingInputs.CLIENT_ID));
    }

    @Test
    void isReadyWithKafkaAndPublishesItsApi() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/resizes"));
        asViewer().get("/api/v1/guests/nobody/recommendation").then().statusCode(404)
                .contentType("application/problem+json");
        asViewer().queryParam("limit", 0).get("/api/v1/decisions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("limit must be from 1 to 1000, got 0"));
    }

    /** Sends a sample every 300 ms until {@code outcome} is non-empty; a bounded wait, never a fixed sleep. */
    private static <T> List<T> sampleUntil(String guest, String host, long assigned, long used, Supplier<List<T>> outcome) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            kafka.send(guest, sample(guest, host, assigned, used));
            List<T> result = outcome.get();
            if (!result.isEmpty()) {
                return result;
            }
            sleep(300);
        }
        throw new AssertionError("no outcome for " + guest + " within 30 s");
    }

    private static List<ResizeCommand> commandsFor(String guest) {
        return kafka.events(ResizeCommand.class, c -> c.guestId().equals(guest));
    }

    private static List<MigrationRequest> migrationsOf(String guest) {
        return kafka.events(MigrationRequest.class, r -> r.guestId().equals(guest));
    }

    static GuestMetrics sample(String guest, String host, long assigned, long used) {
        return new GuestMetrics(guest, host, Instant.now(), assigned, used, assigned - used, 2, 0.2, null, null);
    }

    static HostStatus host(String id, long freeMiB, HostGuest... guests) {
        return new HostStatus(id, Instant.now(), HostState.ACTIVE, "::1", "libvirt",
                Set.of(Capability.LIVE_MEMORY_GROW, Capability.LIVE_MEMORY_SHRINK, Capability.LIVE_VCPU), 65536,
                freeMiB, 64, 32, List.of(guests));
    }

    static GuestPolicy policy(String guest, int priority, boolean migratable) {
        return new GuestPolicy(guest, 512, 8192, 1, 8, 0.75, 0.7, priority, migratable, !migratable, null,
                Instant.now());
    }

    private static String utf8(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
