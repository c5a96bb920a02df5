package dev.nuvola.devstack.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.nuvola.devstack.Net;

/**
 * One Nuvola service running as its own JVM from its packaged {@code quarkus-app}, as in production:
 * configuration through environment variables, output to a log file.
 */
public final class ServiceProcess implements AutoCloseable {
    /**
     * System property: the services' JVM options, e.g. to benchmark with production settings. One service's own,
     * {@code nuvola.service.jvm-options.<name>} (for example {@code .scaler-service}, or {@code .host-agent} for
     * every {@code host-agent-N}), wins over it.
     */
    public static final String JVM_OPTIONS = "nuvola.service.jvm-options";
    /**
     * The agents': small footprint and quick start-up, as on a node where the agent is a guest of its host. The heap
     * gives memory back when it is mostly free and glibc's native heap is trimmed every 5 s: the agent's RSS under
     * 1,000 domains went from 183 to 165 MiB with these and one malloc arena. A smaller code cache (16 MiB) saved a
     * little more but filled up and stopped the JIT, and the stats cycle took 107 ms, not 70. The young generation
     * (12 MiB, survivors of 2.4 MiB) holds what one cycle makes and the next one drops: with the default 5 MiB and
     * its 0.5 MiB survivors, that went to the old generation, which a give-back ratio of 20 % kept full, and every
     * 100 s each agent stopped for a full collection, 0.3–1.3 s on a busy 2-core machine, with commands waiting.
     */
    static final String AGENT_JVM_OPTIONS = "-Xms24m -Xmn12m -XX:SurvivorRatio=3 -Xmx256m -XX:+UseSerialGC"
            + " -XX:TieredStopAtLevel=1 -Xss512k -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40"
            + " -XX:TrimNativeHeapInterval=5000";
    /**
     * Scaler, inventory and migration-service: the same quick start, but a heap that keeps its room. With the agents'
     * give-back ratios, the old generation was shrunk to its live data after every full collection and filled
     * again within a second: at 5,000 guests the scaler made 113 full collections in 100 s (17 s of pauses, 150 ms
     * each, every decision waiting behind them) and inventory 109. With the default ratios: 10 and 8.
     * <p>
     * A socket read into a heap buffer goes through a temporary direct buffer of the same size, which the JDK keeps
     * per thread, at any size unless capped: the scaler's consumer kept 12 MiB after a backlog's large fetches
     * (NMT's "Other"). Buffers over 256 KiB are now freed after use.
     */
    static final String SERVICE_JVM_OPTIONS = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -Xss512k -XX:TrimNativeHeapInterval=5000 -Djdk.nio.maxCachedBufferSize=262144";
    /**
     * The scaler's: the same, with a young generation of 32 MiB whose survivor spaces (5.3 MiB each) hold the polls
     * its three input threads have in hand. With the default (21 MiB, survivors of 2.1 MiB) those polls were
     * promoted at every young collection: reading a backlog, the collections took 196 ms/s and the scaler read
     * 111,000 samples/s; with these, 110 ms/s and 122,000, and an RSS of 191 MiB instead of 210 (ScalerBenchmark).
     */
    static final String SCALER_JVM_OPTIONS = "-Xms64m -Xmn32m -XX:SurvivorRatio=4 -Xmx256m -XX:+UseSerialGC"
            + " -XX:TieredStopAtLevel=1 -Xss512k -XX:TrimNativeHeapInterval=5000 -Djdk.nio.maxCachedBufferSize=262144";
    /** One malloc arena instead of one per core per thread: the services' native allocations are few. */
    static final String MALLOC_ARENAS = "1";

    private static final HttpClient HTTP = PlatformHttp.client();

    private final String name;
    private final Process process;
    private final URI baseUri;
    private final Path log;
    private final String jvmOptions;

    private ServiceProcess(String name, Process process, URI baseUri, Path log, String jvmOptions) {
        this.name = name;
        this.process = process;
        this.baseUri = baseUri;
        this.log = log;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Starts {@code quarkusApp/quarkus-run.jar} listening on {@code host:port}.
     *
     * @param env settings, as the service reads them in production
     */
    public static ServiceProcess start(String name, Path quarkusApp, String host, int port, Map<String, String> env,
                                       Path logDir) {
        Path jar = quarkusApp.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        String options = jvmOptions(name, quarkusApp).trim();
        command.addAll(List.of(options.split("\\s+")));
        command.addAll(List.of("-Djava.net.preferIPv6Addresses=true", "-jar", jar.toString()));
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("MALLOC_ARENA_MAX", MALLOC_ARENAS);
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_HOST", "::");
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            return new ServiceProcess(name, builder.start(),
                    URI.create("http://" + Net.hostPort(host, port)), log, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * The JVM options of the service called {@code name}, packaged in {@code quarkusApp}: its own, else those of its
     * kind, else everyone's, else the dev stack's for an agent, for the scaler or for another central service.
     */
    static String jvmOptions(String name, Path quarkusApp) {
        String own = System.getProperty(JVM_OPTIONS + "." + name);
        if (own != null) {
            return own;
        }
        String kind = System.getProperty(JVM_OPTIONS + "." + name.replaceFirst("-\\d+$", ""));
        if (kind != null) {
            return kind;
        }
        Path module = quarkusApp.toAbsolutePath().normalize().getParent().getParent();
        String moduleName = module == null ? "" : module.getFileName().toString();
        return System.getProperty(JVM_OPTIONS, switch (moduleName) {
            case "host-agent" -> AGENT_JVM_OPTIONS;
            case "scaler-service" -> SCALER_JVM_OPTIONS;
            default -> SERVICE_JVM_OPTIONS;
        });
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    /** The JVM options it was started with, for benchmarks to print beside their figures. */
    public String jvmOptions() {
        return jvmOptions;
    }

    /** e.g. {@code http://[::1]:8081}. */
    public URI baseUri() {
        return baseUri;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers 200 (Kafka, and the database where there is one, are up). */
    public void awaitReady(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(baseUri.resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    /** A crash: no shutdown hooks, no offsets committed on the way out. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** Asks the service to stop (SIGTERM) without waiting: stopping many at once takes as long as the slowest. */
    public void requestStop() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 10 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        requestStop();
        if (!waitFor(Duration.ofSeconds(10))) {
            kill();
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
