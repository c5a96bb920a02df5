package dev.nuvola.agent.messaging;

import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.agent.AgentTestProfile.HOST_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.agent.AgentTestProfile;
import dev.nuvola.agent.logic.CycleSlots;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The agent end to end over its real parts: the real broker, libvirt's real test driver behind the real
 * {@code LibvirtDriver}, the REST API. Commands go in on nuvola.resize-commands; results, metrics and host
 * status come out; libvirt's live state (read back through GET /api/v1/guests) shows what was applied.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@TestProfile(AgentTestProfile.class)
@WithTestResource(NuvolaStackResource.class)
class AgentKafkaTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    static final TestKafka kafka = TestKafka.shared();

    // ---- GET /api/v1/guests ----------------------------------------------------------------------------

    @Test
    void theGuestListIsTheNodesGuestsWithTheirSizesDriverAndCapabilities() {
        List<String> names = AgentTestProfile.GUESTS.stream().map(NodeFile.Domain::name).toList();
        asViewer().get("/api/v1/guests").then().statusCode(200).contentType(ContentType.JSON)
                .body("size()", equalTo(names.size()))
                .body("name", hasItems(names.toArray(String[]::new)));
        Map<String, Object> small = guest("ta-small");
        assertThat(small).containsEntry("hostId", HOST_ID).containsEntry("driver", "libvirt")
                .containsEntry("running", true).containsEntry("memoryMiB", 512).containsEntry("maxMemoryMiB", 1024)
                .containsEntry("vcpus", 1).containsEntry("maxVcpus", 2)
                // nobody set its load: the simulation's default, half of its memory
                .containsEntry("usedMiB", 256);
        assertThat(strings(small.get("capabilities")))
                .containsExactlyInAnyOrder("LIVE_MEMORY_GROW", "LIVE_MEMORY_SHRINK", "LIVE_VCPU", "SAVE_RESTORE");
    }

    // ---- resize commands -------------------------------------------------------------------------------

    @Test
    void aCommandForThisHostIsAppliedLiveWithExactlyOneResultKeyedByGuest() {
        ResizeCommand command = command("ta-1", 3072L, 3);
        kafka.send(HOST_ID, command);

        ResizeResult result = awaitResult(command.commandId());
        assertThat(result.outcome()).isEqualTo(ResizeOutcome.APPLIED);
        assertThat(result.reasonCode()).isNull();
        assertThat(result.guestId()).isEqualTo("ta-1");
        assertThat(result.hostId()).isEqualTo(HOST_ID);
        assertThat(result.before()).isEqualTo(new GuestSize(2048, 2));
        assertThat(result.after()).isEqualTo(new GuestSize(3072, 3));
        assertThat(result.completedAt()).isAfterOrEqualTo(command.issuedAt());
        // libvirt's live state, read back through the agent
        assertThat(guest("ta-1")).containsEntry("memoryMiB", 3072).containsEntry("vcpus", 3)
                .containsEntry("maxMemoryMiB", 8192);

        List<ConsumerRecord<String, byte[]>> records = resultRecords(command.commandId());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("ta-1");
        assertThat(new String(records.get(0).headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("dev.nuvola.resize.result.v1");
        answeredAfterAMarker();
        assertThat(results(command.commandId())).hasSize(1);
    }

    @Test
    void theSameRecordDeliveredTwiceIsAppliedOnceAndAnsweredOnce() {
        ResizeCommand command = command("ta-dup", 1536L, null);
        ProducerRecord<String, byte[]> record = EventRecords.create(HOST_ID, command, "/nuvola/test");
        kafka.send(record);
        kafka.send(record);

        assertThat(awaitResult(command.commandId()).outcome()).isEqualTo(ResizeOutcome.APPLIED);
        answeredAfterAMarker(); // same key, same partition: both copies were handled before the marker
        assertThat(results(command.commandId())).hasSize(1);
        assertThat(guest("ta-dup")).containsEntry("memoryMiB", 1536);
    }

    @Test
    void aCommandKeyedForAnotherHostIsNeverApplied() {
        int ours = partitionOfThisHost();
        ResizeCommand foreign = new ResizeCommand(UUID.randomUUID().toString(), "ta-other", "other-host", 2048L, null,
                "test", "agent-test", Instant.now(), Instant.now().plusSeconds(60), null);
        ProducerRecord<String, byte[]> created = EventRecords.create("other-host", foreign, "/nuvola/test");
        // on the partition this agent's own commands use, so that the marker after it proves it was read
        kafka.send(new ProducerRecord<>(created.topic(), ours, created.key(), created.value(), created.headers()));

        answeredAfterAMarker();
        assertThat(results(foreign.commandId())).isEmpty();
        assertThat(guest("ta-other")).containsEntry("memoryMiB", 1024);
    }

    @Test
    void aCommandPastItsDeadlineIsRejectedAndChangesNothing() {
        Instant issued = Instant.now().minusSeconds(600);
        ResizeCommand late = new ResizeCommand(UUID.randomUUID().toString(), "ta-2", HOST_ID, 2048L, null, "test",
                "agent-test", issued, issued.plusSeconds(300), null);
        kafka.send(HOST_ID, late);

        ResizeResult result = awaitResult(late.commandId());
        assertThat(result.outcome()).isEqualTo(ResizeOutcome.REJECTED);
        assertThat(result.reasonCode()).isEqualTo("DEADLINE_PASSED");
        assertThat(result.message()).contains("deadline");
        assertThat(result.before()).isEqualTo(new GuestSize(1024, 1)).isEqualTo(result.after());
        assertThat(guest("ta-2")).containsEntry("memoryMiB", 1024);
    }

    @Test
    void aTargetAboveTheHypervisorMaximumIsRejected() {
        ResizeCommand tooBig = command("ta-2", 4097L, null);
        kafka.send(HOST_ID, tooBig);

        ResizeResult result = awaitResult(tooBig.commandId());
        assertThat(result.outcome()).isEqualTo(ResizeOutcome.REJECTED);
        assertThat(result.reasonCode()).isEqualTo("ABOVE_HYPERVISOR_MAX");
        assertThat(result.after()).isEqualTo(new GuestSize(1024, 1));
        assertThat(guest("ta-2")).containsEntry("memoryMiB", 1024);
    }

    @Test
    void aShrinkBelowTheSimulatedLoadPlusMarginIsRejected() {
        setLoad("ta-load", 1500, 0.5).then().statusCode(200).body("workingSetMiB", equalTo(1500));
        assertThat(guest("ta-load")).containsEntry("usedMiB", 1500);
        ResizeCommand shrink = command("ta-load", 1024L, null); // 1024 < 1500 + 128
        kafka.send(HOST_ID, shrink);

        ResizeResult result = awaitResult(shrink.commandId());
        assertThat(result.outcome()).isEqualTo(ResizeOutcome.REJECTED);
        assertThat(result.reasonCode()).isEqualTo("BELOW_USAGE");
        assertThat(guest("ta-load")).containsEntry("memoryMiB", 2048);

        ResizeCommand fits = command("ta-load", 1628L, null); // exactly use plus margin
        kafka.send(HOST_ID, fits);
        assertThat(awaitResult(fits.commandId()).outcome()).isEqualTo(ResizeOutcome.APPLIED);
        assertThat(guest("ta-load")).containsEntry("memoryMiB", 1628);
    }

    @Test
    void aPolicyFromTheTopicCapsResizesBelowTheHypervisorMaximum() {
        GuestPolicy policy = new GuestPolicy("ta-policy", 512, 2048, 1, 2, 0.7, 0.6, 0, true, false, null,
                Instant.now());
        kafka.send("ta-policy", policy);

        // Until the agent has read the policy, 5000 MiB is above the hypervisor maximum (4096): no side effect.
        long until = System.nanoTime() + WAIT.toNanos();
        String reason;
        do {
            ResizeCommand probe = command("ta-policy", 5000L, null);
            kafka.send(HOST_ID, probe);
            reason = awaitResult(probe.commandId()).reasonCode();
        } while (!"ABOVE_POLICY_MAX".equals(reason) && System.nanoTime() < until);
        assertThat(reason).as("the agent applies the published policy").isEqualTo("ABOVE_POLICY_MAX");

        ResizeCommand aboveCap = command("ta-policy", 3072L, null); // within the hypervisor's 4096
        kafka.send(HOST_ID, aboveCap);
        ResizeResult result = awaitResult(aboveCap.commandId());
        assertThat(result.outcome()).isEqualTo(ResizeOutcome.REJECTED);
        assertThat(result.reasonCode()).isEqualTo("ABOVE_POLICY_MAX");
        assertThat(result.message()).contains("2048");
        assertThat(guest("ta-policy")).containsEntry("memoryMiB", 1024);

        ResizeCommand tooManyVcpus = command("ta-policy", null, 3);
        kafka.send(HOST_ID, tooManyVcpus);
        assertThat(awaitResult(tooManyVcpus.commandId()).reasonCode()).isEqualTo("ABOVE_POLICY_MAX");

        ResizeCommand withinCap = command("ta-policy", 2048L, 2);
        kafka.send(HOST_ID, withinCap);
        assertThat(awaitResult(withinCap.commandId()).outcome()).isEqualTo(ResizeOutcome.APPLIED);
        assertThat(guest("ta-policy")).containsEntry("memoryMiB", 2048).containsEntry("vcpus", 2);
    }

    @Test
    void aMalformedCommandGoesToTheDlqWithItsReasonAndTheAgentGoesOn() {
        String junk = "{not json " + UUID.randomUUID();
        kafka.send(new ProducerRecord<>(Topics.RESIZE_COMMANDS, HOST_ID, junk.getBytes(StandardCharsets.UTF_8)));
        ResizeCommand after = command("ta-dlq", 1536L, null);
        kafka.send(HOST_ID, after);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> dead(junk).isPresent());
        ConsumerRecord<String, byte[]> dead = dead(junk).orElseThrow();
        assertThat(dead.key()).isEqualTo(HOST_ID);
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertThat(reason).isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();

        assertThat(awaitResult(after.commandId()).outcome()).isEqualTo(ResizeOutcome.APPLIED);
        assertThat(guest("ta-dlq")).containsEntry("memoryMiB", 1536);
    }

    @Test
    void aCommandKeyedWithNoHostGoesToTheDlqAndIsNeverApplied() {
        ResizeCommand unaddressed = command("ta-dlq", 1280L, null);
        ProducerRecord<String, byte[]> made = EventRecords.create(HOST_ID, unaddressed, "/nuvola/test");
        byte[] value = made.value();
        kafka.send(new ProducerRecord<>(Topics.RESIZE_COMMANDS, (Integer) null, (String) null, value, made.headers()));
        ResizeCommand after = command("ta-dlq", 1536L, null);
        kafka.send(HOST_ID, after);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> dead(new String(value, StandardCharsets.UTF_8)).isPresent());
        ConsumerRecord<String, byte[]> dead = dead(new String(value, StandardCharsets.UTF_8)).orElseThrow();
        assertThat(dead.key()).isNull();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .startsWith("key");
        assertThat(new String(dead.headers().lastHeader("dead-letter-consumer").value(), StandardCharsets.UTF_8))
                .isEqualTo("/nuvola/host-agent/" + HOST_ID);
        awaitResult(after.commandId());
        assertThat(results(unaddressed.commandId())).isEmpty();
    }

    // ---- metrics and host status -----------------------------------------------------------------------

    @Test
    void aSimulatedLoadShowsInTheGuestsMetrics() {
        setLoad("ta-metrics", 700, 0.25).then().statusCode(200);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> !metrics("ta-metrics", 700).isEmpty());
        GuestMetrics sample = metrics("ta-metrics", 700).get(0);
        assertThat(sample.hostId()).isEqualTo(HOST_ID);
        assertThat(sample.memoryAssignedMiB()).isEqualTo(1024);
        assertThat(sample.memoryAvailableMiB()).isEqualTo(324);
        assertThat(sample.vcpus()).isEqualTo(1);
        assertThat(sample.cpuUsage()).isEqualTo(0.25);
    }

    /**
     * Each node samples at its own moment of the second (logic/CycleSlots), not at the whole second as Quarkus'
     * scheduler fires: this node's cycles start at its phase, read back from the samples on the real broker.
     */
    @Test
    void samplesAreTakenAtTheNodesOwnMomentOfTheSecond() {
        long phase = CycleSlots.forHost(HOST_ID, Duration.ofSeconds(1)).phaseMillis();
        assertThat(phase).as("this test tells the phase from the whole second only if it is not near 0")
                .isBetween(100L, 900L);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> cycleStarts().size() >= 3);
        List<Long> lateBy = cycleStarts().stream().map(at -> Math.floorMod(at.toEpochMilli() - phase, 1000L)).toList();
        // A cycle starts at its slot or a little after it (a busy machine delays a thread), never before it.
        assertThat(lateBy).as("ms after this node's slot at which its cycles started").allMatch(ms -> ms < 500)
                .anyMatch(ms -> ms < 100);
    }

    /** When this node's cycles started: the distinct sampledAt of its samples. */
    private static List<Instant> cycleStarts() {
        return kafka.events(GuestMetrics.class, m -> m.hostId().equals(HOST_ID)).stream().map(GuestMetrics::sampledAt)
                .distinct().toList();
    }

    @Test
    void theHostStatusReportsCapacityAndFreeMemoryAfterTheReserveAndEveryGuest() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<Map<String, Object>> guests = guests();
            long assigned = guests.stream().mapToLong(g -> ((Number) g.get("memoryMiB")).longValue()).sum();
            int vcpus = guests.stream().mapToInt(g -> ((Number) g.get("vcpus")).intValue()).sum();
            HostStatus status = latestStatus().orElseThrow(() -> new AssertionError("no host status yet"));
            assertThat(status.memoryTotalMiB()).isEqualTo(AgentTestProfile.HOST_MEMORY_MIB);
            assertThat(status.vcpusTotal()).isEqualTo(AgentTestProfile.HOST_CPUS);
            assertThat(status.memoryFreeMiB())
                    .isEqualTo(AgentTestProfile.HOST_MEMORY_MIB - AgentTestProfile.RESERVE_MIB - assigned);
            assertThat(status.vcpusFree()).isEqualTo(AgentTestProfile.HOST_CPUS - vcpus);
            assertThat(status.guests()).extracting(HostGuest::guestId)
                    .containsExactlyInAnyOrderElementsOf(AgentTestProfile.GUESTS.stream().map(NodeFile.Domain::name)
                            .toList());
        });
        HostStatus status = latestStatus().orElseThrow();
        assertThat(status.state()).isEqualTo(HostState.ACTIVE);
        assertThat(status.driver()).isEqualTo("libvirt");
        assertThat(status.managementAddress()).isEqualTo("::1");
        assertThat(status.capabilities()).containsExactlyInAnyOrder(Capability.LIVE_MEMORY_GROW,
                Capability.LIVE_MEMORY_SHRINK, Capability.LIVE_VCPU, Capability.SAVE_RESTORE);
        assertThat(status.guests()).filteredOn(g -> g.guestId().equals("ta-small"))
                .containsExactly(new HostGuest("ta-small", 512, 1024, 1, 2));
    }

    @Test
    void aDrainMarkedByTheMigrationServiceIsKeptInTheAgentsOwnStatusUntilItEnds() {
        HostStatus current = await().atMost(WAIT).until(AgentKafkaTest::latestStatus, Optional::isPresent).get();
        kafka.send(EventRecords.create(HOST_ID, withState(current, HostState.DRAINING), "/nuvola/migration-service"));
        // The agent's next statuses, on change or every few seconds, say DRAINING too.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> kafka.envelopes(HostStatus.class).stream()
                .anyMatch(e -> e.key().equals(HOST_ID) && e.meta().source().startsWith("/nuvola/host-agent")
                        && e.payload().state() == HostState.DRAINING));
        kafka.send(EventRecords.create(HOST_ID, withState(current, HostState.ACTIVE), "/nuvola/migration-service"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<dev.nuvola.events.Envelope<HostStatus>> own = kafka.envelopes(HostStatus.class).stream()
                    .filter(e -> e.key().equals(HOST_ID) && e.meta().source().startsWith("/nuvola/host-agent")).toList();
            return !own.isEmpty() && own.get(own.size() - 1).payload().state() == HostState.ACTIVE;
        });
    }

    private static HostStatus withState(HostStatus s, HostState state) {
        return new HostStatus(s.hostId(), java.time.Instant.now(), state, s.managementAddress(), s.driver(),
                s.capabilities(), s.memoryTotalMiB(), s.memoryFreeMiB(), s.vcpusTotal(), s.vcpusFree(), s.guests());
    }

    // ---- simulation endpoint, health, metrics, OpenAPI -------------------------------------------------

    @Test
    void settingTheLoadOfAnUnknownGuestIsANotFoundProblem() {
        setLoad("no-such-guest", 100, 0.1).then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", containsString("no-such-guest"));
    }

    @Test
    void anInvalidLoadIsABadRequestProblemAndChangesNothing() {
        asOperator().contentType(ContentType.JSON).body("{\"workingSetMiB\": 100, \"cpuUsage\": 5}")
                .put("/api/v1/simulation/guests/ta-small/load")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("title", equalTo("Bad Request")).body("detail", notNullValue());
        asOperator().contentType(ContentType.JSON).body("{\"workingSetMiB\": -1, \"cpuUsage\": 0.5}")
                .put("/api/v1/simulation/guests/ta-small/load")
                .then().statusCode(400).contentType("application/problem+json");
        asOperator().contentType(ContentType.JSON).body("{not json")
                .put("/api/v1/simulation/guests/ta-small/load")
                .then().statusCode(400).contentType("application/problem+json");
        asOperator().contentType(ContentType.JSON).put("/api/v1/simulation/guests/ta-small/load")
                .then().statusCode(400).contentType("application/problem+json");
        assertThat(guest("ta-small")).containsEntry("usedMiB", 256);
    }

    /**
     * SPEC: "Errors are RFC 9457 problem details with a clear message". Quarkus REST wraps a body that Jackson
     * cannot bind (here: Load's constructor refuses cpuUsage 5) in a WebApplicationException(cause, 400);
     * service-kit's ProblemMappers must answer with the cause's message, not "HTTP 400 Bad Request".
     */
    @Test
    void anInvalidLoadSaysWhatIsWrong() {
        asOperator().contentType(ContentType.JSON).body("{\"workingSetMiB\": 100, \"cpuUsage\": 5}")
                .put("/api/v1/simulation/guests/ta-small/load")
                .then().statusCode(400).body("detail", containsString("cpuUsage"));
    }

    @Test
    void isReadyWithKafkaAndPublishesMetricsAndItsApi() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(not(equalTo("")));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/guests"))
                .body(containsString("/api/v1/simulation/guests/{name}/load"));
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/guests'.get", notNullValue());
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static ResizeCommand command(String guest, Long memory, Integer vcpus) {
        Instant now = Instant.now();
        return new ResizeCommand(UUID.randomUUID().toString(), guest, HOST_ID, memory, vcpus, "test", "agent-test",
                now, now.plusSeconds(120), null);
    }

    /**
     * Sends a command that sets ta-small to its own size and waits for its result. Commands keyed with this
     * host share one partition and the agent handles them in order, so every command sent before it has been
     * handled (or skipped) by then.
     */
    static void answeredAfterAMarker() {
        ResizeCommand marker = command("ta-small", 512L, null);
        kafka.send(HOST_ID, marker);
        assertThat(awaitResult(marker.commandId()).outcome()).isEqualTo(ResizeOutcome.APPLIED);
    }

    /** The partition of this host's commands, from a marker the agent answered. */
    static int partitionOfThisHost() {
        ResizeCommand marker = command("ta-small", 512L, null);
        kafka.send(HOST_ID, marker);
        awaitResult(marker.commandId());
        byte[] id = marker.commandId().getBytes(StandardCharsets.UTF_8);
        return kafka.readAll(Topics.RESIZE_COMMANDS).stream()
                .filter(r -> HOST_ID.equals(r.key()) && contains(r.value(), id))
                .findFirst().orElseThrow().partition();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static List<ResizeResult> results(String commandId) {
        return kafka.events(ResizeResult.class, r -> r.commandId().equals(commandId));
    }

    static List<ConsumerRecord<String, byte[]>> resultRecords(String commandId) {
        byte[] id = commandId.getBytes(StandardCharsets.UTF_8);
        return kafka.readAll(Topics.RESIZE_RESULTS).stream().filter(r -> contains(r.value(), id)).toList();
    }

    static ResizeResult awaitResult(String commandId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> !results(commandId).isEmpty());
        return results(commandId).get(0);
    }

    static Optional<ConsumerRecord<String, byte[]>> dead(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return kafka.readAll(Topics.dlq(Topics.RESIZE_COMMANDS)).stream()
                .filter(r -> Arrays.equals(r.value(), bytes)).findFirst();
    }

    static List<GuestMetrics> metrics(String guest, long used) {
        return kafka.events(GuestMetrics.class, m -> m.guestId().equals(guest) && m.memoryUsedMiB() == used);
    }

    /** The newest status of this host: one key, one partition, so the last in the topic's order. */
    static Optional<HostStatus> latestStatus() {
        List<HostStatus> statuses = kafka.events(HostStatus.class, s -> s.hostId().equals(HOST_ID));
        return statuses.isEmpty() ? Optional.empty() : Optional.of(statuses.get(statuses.size() - 1));
    }

    static io.restassured.response.Response setLoad(String guest, long workingSetMiB, double cpuUsage) {
        return asOperator().contentType(ContentType.JSON)
                .body(Map.of("workingSetMiB", workingSetMiB, "cpuUsage", cpuUsage))
                .put("/api/v1/simulation/guests/{name}/load", guest);
    }

    static List<Map<String, Object>> guests() {
        return asViewer().get("/api/v1/guests").then().statusCode(200).extract().jsonPath().getList("$");
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object list) {
        return (List<String>) list;
    }

    static Map<String, Object> guest(String name) {
        return guests().stream().filter(g -> name.equals(g.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no guest " + name + " in GET /api/v1/guests"));
    }
}
