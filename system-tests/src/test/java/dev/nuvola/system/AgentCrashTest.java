package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.ServiceProcess;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Envelope;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;

/**
 * SPEC rule 2 under a crash: the agent is killed with SIGKILL while a queue of resize commands is being
 * applied, then started again. Every command must end with exactly one result event, none lost.
 */
class AgentCrashTest {
    private static final String HOST = "crash-host";
    private static final String GUEST = "crash-1";
    private static final int COMMANDS = 300;

    static EmbeddedKafka kafka;
    static TestKafka client;
    static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        work = AgentUnderTest.freshWorkDir("agent-crash");
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withLogDir(work.resolve("kafka")));
        kafka.createPlatformTopics();
        client = new TestKafka(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (client != null) {
            client.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyCommandGetsExactlyOneResultAcrossAKill() throws Exception {
        Path node = work.resolve("node.xml");
        Files.writeString(node, NodeFile.xml(262_144, 16, List.of(new NodeFile.Domain(GUEST, 1024, 65_536, 1, 8))));
        Map<String, String> env = Map.of("NUVOLA_LIBVIRT_URI", "test://" + node);

        List<String> ids = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        for (int i = 0; i < COMMANDS; i++) {
            long target = 1024 + (i % 40 + 1) * 64L;
            ResizeCommand command = new ResizeCommand(UUID.randomUUID().toString(), GUEST, HOST, target, null,
                    "crash test " + i, "system-test", Instant.now(), deadline, null);
            client.send(HOST, command);
            ids.add(command.commandId());
        }

        ServiceProcess agent = AgentUnderTest.start(HOST, kafka.bootstrapServers(), work, env);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.readAll("nuvola.resize-results").size() >= COMMANDS / 5);
        agent.kill();
        int answeredBeforeKill = results().size();
        long restartedAt = System.nanoTime();

        agent = AgentUnderTest.start(HOST, kafka.bootstrapServers(), work, env);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> results().stream().map(e -> e.payload().commandId()).distinct().count() == COMMANDS);
            double recoverySeconds = (System.nanoTime() - restartedAt) / 1e9;

            List<Envelope<ResizeResult>> results = results();
            Map<String, List<Envelope<ResizeResult>>> byCommand = results.stream()
                    .collect(Collectors.groupingBy(e -> e.payload().commandId()));
            assertThat(byCommand.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            byCommand.forEach((id, copies) -> {
                // One event per command: a copy sent again after the crash carries the same event id and body.
                Set<String> eventIds = copies.stream().map(e -> e.meta().id()).collect(Collectors.toSet());
                assertThat(eventIds).as("event ids of the results of " + id).hasSize(1);
                assertThat(copies.stream().map(Envelope::payload).distinct()).as(id).hasSize(1);
                assertThat(copies.get(0).payload().outcome()).as(id).isEqualTo(ResizeOutcome.APPLIED);
            });
            long lastTarget = 1024 + ((COMMANDS - 1) % 40 + 1) * 64L;
            Map<String, ResizeResult> last = results.stream().map(Envelope::payload)
                    .collect(Collectors.toMap(ResizeResult::commandId, Function.identity(), (a, b) -> a));
            assertThat(last.get(ids.get(COMMANDS - 1)).after().memoryMiB()).isEqualTo(lastTarget);
            System.out.printf("[crash] %d commands; %d answered before SIGKILL; all answered %.1f s after the"
                            + " restart; %d result records for %d commands (%d repeated copies of one event)%n",
                    COMMANDS, answeredBeforeKill, recoverySeconds, results.size(), byCommand.size(),
                    results.size() - byCommand.size());
        } finally {
            agent.close();
        }
    }

    private static List<Envelope<ResizeResult>> results() {
        return client.envelopes(ResizeResult.class).stream().filter(e -> e.payload().hostId().equals(HOST)).toList();
    }
}
