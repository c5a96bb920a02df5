package dev.nuvola.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.nuvola.devstack.platform.NodeFile;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The agent of every {@code @QuarkusTest} in this module, on libvirt's real test driver: a node file written
 * to a directory of this test run, with guests whose names belong to these tests. Use this profile (and
 * {@code NuvolaStackResource}) on every Quarkus test class of the module, so that Quarkus starts once.
 *
 * <p>Host: {@value #HOST_MEMORY_MIB} MiB, {@value #HOST_CPUS} CPUs, {@value #RESERVE_MIB} MiB reserved (the
 * agent's default).
 */
public class AgentTestProfile implements QuarkusTestProfile {
    public static final String HOST_ID = "agent-test";
    public static final long HOST_MEMORY_MIB = 16384;
    public static final int HOST_CPUS = 16;
    public static final long RESERVE_MIB = 512;

    /** Each test works on guests of its own, so the tests do not depend on their order. */
    public static final List<NodeFile.Domain> GUESTS = List.of(
            new NodeFile.Domain("ta-1", 2048, 8192, 2, 8),       // applied resize
            new NodeFile.Domain("ta-2", 1024, 4096, 1, 4),       // late and too large: rejected
            new NodeFile.Domain("ta-small", 512, 1024, 1, 2),    // the marker: resized to its own size
            new NodeFile.Domain("ta-dup", 1024, 4096, 1, 4),     // the same command twice
            new NodeFile.Domain("ta-other", 1024, 4096, 1, 4),   // a command for another host
            new NodeFile.Domain("ta-load", 2048, 4096, 1, 2),    // shrink below its load
            new NodeFile.Domain("ta-policy", 1024, 4096, 1, 4),  // capped by a policy
            new NodeFile.Domain("ta-dlq", 1024, 4096, 1, 2),     // resized after a malformed record
            new NodeFile.Domain("ta-metrics", 1024, 2048, 1, 2)); // its load shows in the metrics

    /** JVM-wide (Quarkus may load this class more than once): one directory per test run. */
    private static final String DIR_PROPERTY = "nuvola.test.agent.dir";

    /** The directory holding the node file and the agent's state, created on first use. */
    public static Path dir() {
        synchronized (DIR_PROPERTY) {
            String existing = System.getProperty(DIR_PROPERTY);
            if (existing != null) {
                return Path.of(existing);
            }
            try {
                Path target = Path.of("target").toAbsolutePath();
                Files.createDirectories(target);
                Path dir = Files.createTempDirectory(target, "agent-test-");
                Files.writeString(dir.resolve("node.xml"), NodeFile.xml(HOST_MEMORY_MIB, HOST_CPUS, GUESTS),
                        StandardCharsets.UTF_8);
                Files.createDirectories(dir.resolve("state"));
                System.setProperty(DIR_PROPERTY, dir.toString());
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the agent's test node file", e);
            }
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Path dir = dir();
        return Map.of(
                "nuvola.agent.host-id", HOST_ID,
                "nuvola.agent.driver", "libvirt",
                "nuvola.agent.libvirt.uri", "test://" + dir.resolve("node.xml"),
                "nuvola.agent.state-dir", dir.resolve("state").toString(),
                // metrics-interval stays at its 1 s default, as in production (phase from the host id: logic/CycleSlots)
                "nuvola.agent.memory-reserve-mib", Long.toString(RESERVE_MIB));
    }
}
