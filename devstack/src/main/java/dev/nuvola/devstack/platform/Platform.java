package dev.nuvola.devstack.platform;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

import dev.nuvola.devstack.Net;
import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.postgres.Database;
import dev.nuvola.devstack.security.PlatformKeys;

/**
 * The whole platform on one machine: a real Kafka broker, PostgreSQL, the four services and N host
 * agents on libvirt's test driver, each service in its own JVM. Used by {@code ./nuvola demo} and by
 * the system tests, so what the tests prove is what the demo runs.
 */
public final class Platform implements AutoCloseable {

    /**
     * @param repoRoot  the checkout, whose modules' {@code target/quarkus-app} are started
     * @param host      where everything listens: "::1" (default) or "127.0.0.1"
     * @param agents    how many simulated hosts
     * @param kafkaPort the broker's port; 0 picks a free one
     * @param basePort  inventory on basePort+1, scaler +2, migration +3, agent i on +4+i; 0 picks free ports
     * @param nodeFile  the libvirt test-driver node file of agent i (1-based)
     * @param workDir   logs and agent state
     * @param kafkaSecurity null for a plaintext broker; else what the broker demands (SCRAM, TLS), and every
     *                   service connects accordingly, configured as in production (KAFKA_SECURITY_PROTOCOL, ...)
     */
    public record Options(Path repoRoot, String host, int agents, int kafkaPort, int basePort, IntFunction<Path> nodeFile,
                          Path workDir, Map<String, String> extraEnv, EmbeddedKafka.Security kafkaSecurity) {
        public Options {
            Objects.requireNonNull(repoRoot, "repoRoot");
            Objects.requireNonNull(nodeFile, "nodeFile");
            Objects.requireNonNull(workDir, "workDir");
            host = Net.bareHost(host == null ? Net.IPV6_LOOPBACK : host);
            extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        }

        public Options(Path repoRoot, String host, int agents, int kafkaPort, int basePort, IntFunction<Path> nodeFile,
                       Path workDir, Map<String, String> extraEnv) {
            this(repoRoot, host, agents, kafkaPort, basePort, nodeFile, workDir, extraEnv, null);
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Options options;
    private final PrintStream progress;
    private EmbeddedKafka kafka;
    private Database database;
    private PlatformKeys keys;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** How each service was launched, so that a killed one can be started again the same way. */
    private final Map<String, Launch> launches = new HashMap<>();

    private record Launch(String module, int port, Map<String, String> env) {
    }

    private Platform(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Starts everything and returns once every service reports ready; stops what it started on failure. */
    public static Platform start(Options options, PrintStream progress) {
        Platform platform = new Platform(options, progress);
        try {
            platform.startAll();
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() {
        long t0 = System.nanoTime();
        say("starting Kafka " + EmbeddedKafka.kafkaVersion() + " (KRaft) on " + Net.urlHost(options.host()));
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withHost(options.host())
                .withPort(options.kafkaPort()).withLogDir(options.workDir().resolve("kafka"))
                .withSecurity(options.kafkaSecurity()));
        kafka.createPlatformTopics();
        say("Kafka ready at " + kafka.bootstrapServers() + " (" + kafka.options().security().protocol() + ")");

        database = Database.resolve();
        say((database.embedded() ? "embedded PostgreSQL ready at " : "using PostgreSQL at ") + database.jdbcUrl());
        String inventoryDb = database.createDatabase("nuvola_inventory");
        String migrationDb = database.createDatabase("nuvola_migration");

        Map<String, String> common = new HashMap<>(options.extraEnv());
        common.putAll(kafka.clientEnvironment());
        common.put("NUVOLA_DB_USER", database.username());
        common.put("NUVOLA_DB_PASSWORD", database.password());

        keys = PlatformKeys.create(options.workDir().resolve("jwt"));
        common.put("NUVOLA_JWT_PUBLIC_KEY", keys.publicKeyFile().toString());

        Map<String, String> inventory = new HashMap<>(common);
        inventory.put("NUVOLA_INVENTORY_DB_URL", inventoryDb);
        Map<String, String> migration = new HashMap<>(common);
        migration.put("NUVOLA_MIGRATION_DB_URL", migrationDb);

        List<ServiceProcess> starting = new ArrayList<>();
        starting.add(launch("inventory-service", "inventory-service", port(1), inventory));
        starting.add(launch("scaler-service", "scaler-service", port(2), common));
        starting.add(launch("migration-service", "migration-service", port(3), migration));
        for (int i = 1; i <= options.agents(); i++) {
            Map<String, String> agent = new HashMap<>(common);
            agent.put("NUVOLA_HOST_ID", hostId(i));
            agent.put("NUVOLA_LIBVIRT_URI", "test://" + options.nodeFile().apply(i).toAbsolutePath());
            agent.put("NUVOLA_STATE_DIR", options.workDir().resolve("agent-state").toString());
            agent.put("NUVOLA_AGENT_MANAGEMENT_ADDRESS", options.host());
            // The simulated hosts share one machine, so one directory stands for the site's shared mount.
            agent.put("NUVOLA_MIGRATION_SPOOL_DIR", options.workDir().resolve("migration-spool").toString());
            starting.add(launch("host-agent-" + i, "host-agent", port(4 + i), agent));
        }
        // The JVMs start in parallel; waiting in order costs nothing more than the slowest one.
        for (ServiceProcess service : starting) {
            service.awaitReady(READY_TIMEOUT);
            say(service.name() + " ready at " + service.baseUri());
        }
        say(String.format("platform ready in %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    public static String hostId(int i) {
        return "host-" + i;
    }

    private int port(int offset) {
        return options.basePort() > 0 ? options.basePort() + offset : Net.freePort(options.host());
    }

    private ServiceProcess launch(String name, String module, int port, Map<String, String> env) {
        launches.put(name, new Launch(module, port, Map.copyOf(env)));
        Path app = options.repoRoot().resolve(module).resolve("target/quarkus-app");
        ServiceProcess service = ServiceProcess.start(name, app, options.host(), port, env,
                options.workDir().resolve("logs"));
        services.put(name, service);
        say("starting " + name + " (pid " + service.pid() + ", log " + service.log() + ")");
        return service;
    }

    /** Starts a stopped or killed service again, same port and settings, and waits until it is ready. */
    public ServiceProcess restart(String name) {
        Launch launch = launches.get(name);
        if (launch == null) {
            throw new IllegalArgumentException("no service named " + name + "; have " + launches.keySet());
        }
        service(name).close();
        ServiceProcess service = launch(name, launch.module(), launch.port(), launch.env());
        service.awaitReady(READY_TIMEOUT);
        say(name + " ready again at " + service.baseUri());
        return service;
    }

    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service named " + name + "; have " + services.keySet());
        }
        return service;
    }

    public ServiceProcess agent(int i) {
        return service("host-agent-" + i);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Settings for a client of the platform's broker: its address and, when it demands SASL, the login. */
    public Map<String, Object> kafkaClientConfig() {
        return kafka.clientConfig();
    }

    /** The key the services verify bearer tokens with; it signs tokens for tests and the demo's user. */
    public PlatformKeys keys() {
        return keys;
    }

    public Database database() {
        return database;
    }

    private void say(String line) {
        if (progress != null) {
            progress.println("[nuvola] " + line);
        }
    }

    /** Stops the services (all asked at once, then waited for), then the database and the broker. */
    @Override
    public void close() {
        services.values().forEach(ServiceProcess::requestStop);
        services.values().forEach(ServiceProcess::close);
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
