package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.PlatformHttp;
import dev.nuvola.devstack.platform.ServiceProcess;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;

/**
 * A container resized live through the whole command path: a real process in a real cgroup (v1 on these
 * machines), the packaged agent on its cgroup driver, a resize command through the real broker. The limit
 * is read back from the kernel's files and the process keeps running with the same PID.
 */
class CgroupAgentTest {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final String HOST = "ct-host";
    private static final long MIB = 1024 * 1024;

    private final String parent = "nuvola-st-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void aRunningContainerGetsMoreMemoryAndCpuThroughACommandAndKeepsRunning() throws Exception {
        assertThat(Files.isWritable(CGROUPS.resolve("memory"))).as("cgroup v1 memory hierarchy writable (root?)")
                .isTrue();
        // Cleanup runs in reverse: the process is killed before its cgroups are removed.
        List<Path> guestDirs = new ArrayList<>();
        for (String controller : List.of("memory", "cpu", "cpuacct")) {
            Path guest = Files.createDirectories(CGROUPS.resolve(controller).resolve(parent).resolve("ct-1"));
            cleanup.add(() -> removeCgroup(guest));
            guestDirs.add(guest);
        }
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        cleanup.add(() -> {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        });
        for (Path guest : guestDirs) {
            Files.writeString(guest.resolve("cgroup.procs"), Long.toString(sleeper.pid()));
        }
        Path memory = CGROUPS.resolve("memory").resolve(parent).resolve("ct-1");
        Path cpu = CGROUPS.resolve("cpu").resolve(parent).resolve("ct-1");
        Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(256 * MIB));
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "100000");
        Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000");

        Path work = AgentUnderTest.freshWorkDir("cgroup-agent");
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withLogDir(work.resolve("kafka")));
        cleanup.add(kafka);
        kafka.createPlatformTopics();
        TestKafka client = new TestKafka(kafka.bootstrapServers());
        cleanup.add(client);
        ServiceProcess agent = AgentUnderTest.start(HOST, kafka.bootstrapServers(), work,
                Map.of("NUVOLA_AGENT_DRIVER", "cgroup", "NUVOLA_CGROUP_PARENT", parent));
        cleanup.add(agent);

        JsonNode before = guest(agent.baseUri(), work);
        assertThat(before.get("driver").asText()).isEqualTo("cgroup");
        assertThat(before.get("memoryMiB").asLong()).isEqualTo(256);
        assertThat(before.get("vcpus").asInt()).isEqualTo(1);
        assertThat(before.get("running").asBoolean()).isTrue();

        ResizeCommand command = new ResizeCommand(UUID.randomUUID().toString(), "ct-1", HOST, 512L, 2,
                "cgroup system test", "system-test", Instant.now(), Instant.now().plusSeconds(60), null);
        client.send(HOST, command);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !client.events(ResizeResult.class, r -> r.commandId().equals(command.commandId())).isEmpty());
        ResizeResult result = client.events(ResizeResult.class, r -> r.commandId().equals(command.commandId())).get(0);
        assertThat(result.outcome()).as(result.message()).isEqualTo(ResizeOutcome.APPLIED);
        assertThat(result.after().memoryMiB()).isEqualTo(512);
        assertThat(result.after().vcpus()).isEqualTo(2);

        // The kernel's own view, and the same process still running in the same cgroup.
        assertThat(Long.parseLong(Files.readString(memory.resolve("memory.limit_in_bytes")).trim())).isEqualTo(512 * MIB);
        long quota = Long.parseLong(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim());
        long period = Long.parseLong(Files.readString(cpu.resolve("cpu.cfs_period_us")).trim());
        assertThat(quota).isEqualTo(2 * period);
        assertThat(sleeper.isAlive()).isTrue();
        assertThat(Files.readAllLines(memory.resolve("cgroup.procs"))).contains(Long.toString(sleeper.pid()));
        assertThat(guest(agent.baseUri(), work).get("memoryMiB").asLong()).isEqualTo(512);
    }

    private static JsonNode guest(URI agent, Path work) throws IOException, InterruptedException {
        HttpResponse<String> response = PlatformHttp.client().send(
                HttpRequest.newBuilder(agent.resolve("/api/v1/guests"))
                        .header("Authorization", AgentUnderTest.bearer(work, "viewer")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode guest : new ObjectMapper().readTree(response.body())) {
            if (guest.get("name").asText().equals("ct-1")) {
                return guest;
            }
        }
        throw new AssertionError("the agent does not list ct-1: " + response.body());
    }

    /** A cgroup can be removed once its processes are gone; the kernel may take a moment to notice. */
    private static void removeCgroup(Path guest) throws InterruptedException, IOException {
        for (int i = 0; i < 50 && Files.exists(guest); i++) {
            if (!guest.toFile().delete()) {
                Thread.sleep(100);
            }
        }
        Files.deleteIfExists(guest.getParent());
    }
}
