package dev.nuvola.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import dev.nuvola.devstack.Net;
import dev.nuvola.devstack.platform.ServiceProcess;
import dev.nuvola.devstack.security.PlatformKeys;

/** One packaged host agent as its own process, against a given broker: for the agent's fault tests. */
final class AgentUnderTest {
    private AgentUnderTest() {
    }

    static ServiceProcess start(String hostId, String bootstrapServers, Path work, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        all.put("NUVOLA_HOST_ID", hostId);
        all.put("NUVOLA_STATE_DIR", work.resolve("agent-state").toString());
        all.putAll(trustKeys(work));
        ServiceProcess agent = ServiceProcess.start(hostId, repoRoot().resolve("host-agent/target/quarkus-app"),
                Net.IPV6_LOOPBACK, Net.freePort(Net.IPV6_LOOPBACK), all, work.resolve("logs"));
        agent.awaitReady(Duration.ofSeconds(90));
        return agent;
    }

    /**
     * The signing key of the services a test starts in {@code work}: made at the first call, then the same one, so
     * that every service started there (and restarted) trusts the tokens the test signs with it.
     */
    static PlatformKeys keys(Path work) {
        Path directory = work.resolve("jwt");
        return Files.exists(directory.resolve("jwt-private.pem")) ? PlatformKeys.load(directory)
                : PlatformKeys.create(directory);
    }

    /** The environment that makes a service verify bearer tokens with {@link #keys}. */
    static Map<String, String> trustKeys(Path work) {
        return Map.of("NUVOLA_JWT_PUBLIC_KEY", keys(work).publicKeyFile().toString());
    }

    /** "Bearer ..." for {@code role}, signed with {@link #keys}. */
    static String bearer(Path work, String role) {
        return "Bearer " + keys(work).token(role, "system-test", Duration.ofMinutes(30));
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("user.dir")).getParent();
    }

    /**
     * A fresh directory under target/: kept after the run, so that logs can be read after a failure, and
     * emptied first, so that a broker log or agent state left by an earlier run does not leak into this one.
     */
    static Path freshWorkDir(String name) throws IOException {
        Path work = Path.of("target", name).toAbsolutePath();
        if (Files.exists(work)) {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        return Files.createDirectories(work);
    }
}
