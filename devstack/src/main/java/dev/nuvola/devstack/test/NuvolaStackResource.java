package dev.nuvola.devstack.test;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.postgres.Database;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared infrastructure of every service's {@code @QuarkusTest}: one real Kafka broker (platform topics
 * created) and, for tests that ask for it with init arg {@code database=<name>}, one PostgreSQL database.
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(value = NuvolaStackResource.class,
 *         initArgs = &#64;ResourceArg(name = NuvolaStackResource.DATABASE, value = "inventory"))
 * </pre>
 *
 * <p>Both are started at most once per JVM and reused by every test class: starting a broker per class would
 * cost seconds each time. Quarkus calls {@link #stop()} whenever it restarts the application, so stop() keeps
 * them running; a JVM shutdown hook stops them (and deletes their data) when the test JVM exits.
 *
 * <p>Quarkus may load this class in more than one class loader, and statics are per class loader. So the running
 * broker and database are published as system properties, which every class loader sees, and reused from there:
 * {@value #BOOTSTRAP_PROPERTY}, {@value #DB_URL_PROPERTY}, {@value #DB_USER_PROPERTY},
 * {@value #DB_PASSWORD_PROPERTY}. Setting {@value #BOOTSTRAP_PROPERTY} yourself points the tests at a broker of
 * your own (nothing is started and no topics are created: that broker's topics are yours). The database follows
 * {@link Database#resolve()}: NUVOLA_DB_URL etc. win over the embedded server.
 *
 * <p>System property {@value #KAFKA_HOST_PROPERTY} chooses the broker's address: {@code ::1} (default) or
 * {@code 127.0.0.1}.
 *
 * <p>The broker and the embedded PostgreSQL log through the test JVM's logging (JBoss LogManager under
 * {@code @QuarkusTest}), about 1,000 INFO lines per run. Their categories (and Kafka's config dumps) are set to
 * WARNING; system property {@value #LOG_LEVEL_PROPERTY} (e.g. {@code INFO}, {@code DEBUG}) changes that.
 */
public class NuvolaStackResource implements QuarkusTestResourceLifecycleManager {
    /** Init arg: the name of the database this test's service gets (created if missing). */
    public static final String DATABASE = "database";

    public static final String KAFKA_HOST_PROPERTY = "nuvola.test.kafka.host";
    public static final String BOOTSTRAP_PROPERTY = "nuvola.test.kafka.bootstrap.servers";
    public static final String DB_URL_PROPERTY = "nuvola.test.db.url";
    public static final String DB_USER_PROPERTY = "nuvola.test.db.username";
    public static final String DB_PASSWORD_PROPERTY = "nuvola.test.db.password";
    public static final String LOG_LEVEL_PROPERTY = "nuvola.test.infra.log-level";

    /** The broker's and the embedded PostgreSQL's log categories; the Kafka clients' own are not among them. */
    private static final List<String> INFRA_LOG_CATEGORIES = List.of("kafka", "state.change.logger",
            "org.apache.kafka.controller", "org.apache.kafka.coordinator", "org.apache.kafka.image",
            "org.apache.kafka.metadata", "org.apache.kafka.queue", "org.apache.kafka.raft",
            "org.apache.kafka.server", "org.apache.kafka.snapshot", "org.apache.kafka.storage",
            // prints every client's and the broker's full configuration at INFO
            "org.apache.kafka.common.config.AbstractConfig",
            "io.zonky.test.db.postgres");
    /** java.util.logging holds loggers weakly: a level set on a logger nobody references can be lost. */
    private static final List<Logger> QUIETED_LOGGERS = new ArrayList<>();

    /**
     * A monitor shared by every class loader of this JVM: string literals are interned JVM-wide. A plain
     * {@code synchronized static} would only exclude callers from the same class loader.
     */
    private static final Object JVM_LOCK = "dev.nuvola.devstack.test.NuvolaStackResource.lock";

    private String databaseName;

    @Override
    public void init(Map<String, String> initArgs) {
        String name = initArgs.get(DATABASE);
        databaseName = name == null || name.isBlank() ? null : name.trim();
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        if (databaseName != null) {
            Database database = database();
            config.put("quarkus.datasource.jdbc.url", database.createDatabase(databaseName));
            if (database.username() != null) {
                config.put("quarkus.datasource.username", database.username());
            }
            if (database.password() != null) {
                config.put("quarkus.datasource.password", database.password());
            }
        }
        return config;
    }

    /** Deliberately nothing: the broker and database outlive each Quarkus application (see the class comment). */
    @Override
    public void stop() {
    }

    /** The shared broker's address (started on first use), for tests that produce or consume directly. */
    public static String bootstrapServers() {
        synchronized (JVM_LOCK) {
            String running = System.getProperty(BOOTSTRAP_PROPERTY);
            if (running != null && !running.isBlank()) {
                return running;
            }
            String host = System.getProperty(KAFKA_HOST_PROPERTY, "::1");
            quietInfrastructureLogs();
            long began = System.nanoTime();
            EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withHost(host));
            stopAtExit("nuvola-test-kafka-stop", kafka);
            kafka.createPlatformTopics();
            System.out.printf("[nuvola] test Kafka %s ready at %s in %.1f s%n",
                    EmbeddedKafka.kafkaVersion(), kafka.bootstrapServers(), (System.nanoTime() - began) / 1e9);
            System.setProperty(BOOTSTRAP_PROPERTY, kafka.bootstrapServers());
            return kafka.bootstrapServers();
        }
    }

    /** The shared PostgreSQL server (started on first use). */
    public static Database database() {
        synchronized (JVM_LOCK) {
            String running = System.getProperty(DB_URL_PROPERTY);
            if (running != null) {
                return Database.external(running, System.getProperty(DB_USER_PROPERTY),
                        System.getProperty(DB_PASSWORD_PROPERTY));
            }
            quietInfrastructureLogs();
            long began = System.nanoTime();
            Database database = Database.resolve();
            if (database.embedded()) {
                // Database stops an embedded server at JVM exit by itself.
                System.out.printf("[nuvola] test PostgreSQL ready at %s in %.1f s%n",
                        database.jdbcUrl(), (System.nanoTime() - began) / 1e9);
            }
            System.setProperty(DB_URL_PROPERTY, database.jdbcUrl());
            setIfPresent(DB_USER_PROPERTY, database.username());
            setIfPresent(DB_PASSWORD_PROPERTY, database.password());
            return database;
        }
    }

    /** The JDBC URL of database {@code name} on the shared server, created if missing. */
    public static String createDatabase(String name) {
        return database().createDatabase(name);
    }

    private static void quietInfrastructureLogs() {
        if (!QUIETED_LOGGERS.isEmpty()) {
            return;
        }
        Level level = julLevel(System.getProperty(LOG_LEVEL_PROPERTY, "WARNING"));
        for (String category : INFRA_LOG_CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(level);
            QUIETED_LOGGERS.add(logger);
        }
    }

    /** Also accepts the slf4j/JBoss names WARN, ERROR, DEBUG and TRACE. */
    private static Level julLevel(String name) {
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "WARN" -> Level.WARNING;
            case "ERROR" -> Level.SEVERE;
            case "DEBUG" -> Level.FINE;
            case "TRACE" -> Level.FINEST;
            default -> Level.parse(name.trim().toUpperCase(Locale.ROOT));
        };
    }

    private static void setIfPresent(String key, String value) {
        if (value != null) {
            System.setProperty(key, value);
        }
    }

    private static void stopAtExit(String threadName, AutoCloseable resource) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("[nuvola] " + threadName + ": " + e);
            }
        }, threadName));
    }
}
