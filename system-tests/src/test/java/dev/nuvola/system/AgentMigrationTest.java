package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.PlatformHttp;
import dev.nuvola.devstack.platform.ServiceProcess;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.events.Topics;

/**
 * Two packaged agents, each on its own libvirt test-driver node, sharing a spool directory, with a real broker
 * between them. The test sends the step commands the migration service would send and reads the agents'
 * answers from the broker: the agents are what is tested here, through their real Kafka path.
 */
class AgentMigrationTest {
    private static final String SOURCE = "mig-a";
    private static final String TARGET = "mig-b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = PlatformHttp.client();

    static EmbeddedKafka kafka;
    static TestKafka client;
    static ServiceProcess source;
    static ServiceProcess target;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = AgentUnderTest.freshWorkDir("agent-migration");
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withLogDir(work.resolve("kafka")));
        kafka.createPlatformTopics();
        client = new TestKafka(kafka.bootstrapServers());
        Path a = work.resolve("a.xml");
        Path b = work.resolve("b.xml");
        Files.writeString(a, NodeFile.xml(16_384, 8, List.of(new NodeFile.Domain("xmpp-1", 2048, 8192, 2, 4),
                new NodeFile.Domain("web-1", 1024, 4096, 1, 2), new NodeFile.Domain("db-1", 2048, 4096, 1, 2))));
        Files.writeString(b, NodeFile.xml(8192, 16, List.of(new NodeFile.Domain("mail-1", 2048, 4096, 1, 2))));
        String spool = work.resolve("spool").toString();
        source = AgentUnderTest.start(SOURCE, kafka.bootstrapServers(), work,
                Map.of("NUVOLA_LIBVIRT_URI", "test://" + a, "NUVOLA_MIGRATION_SPOOL_DIR", spool));
        target = AgentUnderTest.start(TARGET, kafka.bootstrapServers(), work,
                Map.of("NUVOLA_LIBVIRT_URI", "test://" + b, "NUVOLA_MIGRATION_SPOOL_DIR", spool));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {source, target, client, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private static MigrationCommand step(String migrationId, MigrationStep step, String guest, GuestSize size) {
        String host = step == MigrationStep.PREPARE_TARGET || step == MigrationStep.ACTIVATE ? TARGET : SOURCE;
        Instant now = Instant.now();
        return new MigrationCommand(UUID.randomUUID().toString(), migrationId, step, host, guest, SOURCE, TARGET,
                MigrationMethod.SAVE_RESTORE, size, now, now.plusSeconds(30));
    }

    /** Sends the step and waits for its one answer. */
    private static MigrationEvent run(MigrationCommand command) {
        client.send(command.hostId(), command);
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> answers(command.commandId()), l -> !l.isEmpty()).get(0);
    }

    private static List<MigrationEvent> answers(String commandId) {
        return client.events(MigrationEvent.class, e -> commandId.equals(e.commandId()));
    }

    private static Optional<JsonNode> guest(ServiceProcess agent, String name) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(agent.baseUri() + "/api/v1/guests"))
                .header("Authorization", AgentUnderTest.bearer(work, "viewer")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode g : JSON.readTree(response.body())) {
            if (name.equals(g.path("name").asText(g.path("guestId").asText()))) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    private static boolean runs(ServiceProcess agent, String name) throws Exception {
        return guest(agent, name).map(g -> g.path("running").asBoolean(true)).orElse(false);
    }

    @Test
    void aGuestMovesBySaveAndRestoreAndKeepsItsSize() throws Exception {
        GuestSize size = new GuestSize(2048, 2);
        for (MigrationStep s : List.of(MigrationStep.PREPARE_TARGET, MigrationStep.TRANSFER, MigrationStep.ACTIVATE,
                MigrationStep.CLEANUP_SOURCE)) {
            MigrationEvent answer = run(step("m-move", s, "xmpp-1", size));
            assertThat(answer.kind()).as(s + ": " + answer.reason()).isEqualTo(MigrationEvent.Kind.STEP_SUCCEEDED);
            assertThat(answer.step()).isEqualTo(s);
        }
        assertThat(guest(source, "xmpp-1")).isEmpty();
        JsonNode moved = guest(target, "xmpp-1").orElseThrow();
        assertThat(moved.toString()).contains("2048");
        // The target's status lists it: the scaler and placement see the move.
        await().atMost(Duration.ofSeconds(15)).until(() -> client.events(dev.nuvola.events.HostStatus.class,
                h -> h.hostId().equals(TARGET) && h.guests().stream().anyMatch(g -> g.guestId().equals("xmpp-1"))).size() > 0);
    }

    @Test
    void aStepRepeatedWithTheSameCommandIdIsAnsweredOnce() throws Exception {
        MigrationCommand prepare = step("m-repeat", MigrationStep.PREPARE_TARGET, "db-1", new GuestSize(1024, 1));
        run(prepare);
        client.send(prepare.hostId(), prepare);
        MigrationCommand marker = step("m-repeat", MigrationStep.ABORT, "db-1", new GuestSize(1024, 1));
        MigrationCommand abortOnTarget = new MigrationCommand(marker.commandId(), marker.migrationId(), marker.step(), TARGET,
                marker.guestId(), SOURCE, TARGET, marker.method(), marker.size(), marker.issuedAt(), marker.deadline());
        assertThat(run(abortOnTarget).kind()).isEqualTo(MigrationEvent.Kind.STEP_SUCCEEDED);
        assertThat(answers(prepare.commandId())).hasSize(1);
    }

    @Test
    void aRollbackAfterTheTransferRestartsTheGuestOnItsSource() throws Exception {
        GuestSize size = new GuestSize(1024, 1);
        assertThat(run(step("m-back", MigrationStep.PREPARE_TARGET, "web-1", size)).kind())
                .isEqualTo(MigrationEvent.Kind.STEP_SUCCEEDED);
        assertThat(run(step("m-back", MigrationStep.TRANSFER, "web-1", size)).kind())
                .isEqualTo(MigrationEvent.Kind.STEP_SUCCEEDED);
        assertThat(runs(source, "web-1")).isFalse();
        assertThat(run(step("m-back", MigrationStep.ABORT, "web-1", size)).kind())
                .isEqualTo(MigrationEvent.Kind.STEP_SUCCEEDED);
        assertThat(runs(source, "web-1")).isTrue();
        assertThat(guest(target, "web-1")).isEmpty();
        MigrationEvent late = run(step("m-back", MigrationStep.ACTIVATE, "web-1", size));
        assertThat(late.kind()).isEqualTo(MigrationEvent.Kind.STEP_FAILED);
        assertThat(late.reason()).startsWith("NOT_SAVED");
        assertThat(guest(target, "web-1")).isEmpty();
    }

    @Test
    void theTargetRefusesAGuestItHasNoRoomFor() {
        MigrationEvent answer = run(step("m-full", MigrationStep.PREPARE_TARGET, "db-1", new GuestSize(8192, 1)));
        assertThat(answer.kind()).isEqualTo(MigrationEvent.Kind.STEP_FAILED);
        assertThat(answer.reason()).startsWith("INSUFFICIENT_HOST_CAPACITY");
    }

    @Test
    void aBadCommandGoesToTheDeadLetterTopicAndTheAgentGoesOn() {
        client.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, SOURCE, "{\"step\":".getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(20)).until(() -> client.readAll(Topics.dlq(Topics.MIGRATION_COMMANDS)).stream()
                .anyMatch(r -> SOURCE.equals(r.key())));
        MigrationEvent after = run(step("m-after-bad", MigrationStep.PREPARE_TARGET, "db-1", new GuestSize(512, 1)));
        assertThat(after.kind()).isEqualTo(MigrationEvent.Kind.STEP_SUCCEEDED);
    }
}
