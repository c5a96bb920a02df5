package dev.nuvola.devstack.kafka;

import dev.nuvola.devstack.Net;
import dev.nuvola.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Kafka broker (KRaft combined mode: broker and controller in one node) running inside this JVM, started
 * from Kafka's own jars. It is the same Kafka version as the clients the Quarkus BOM pins, so it can share a JVM
 * with them (a broker of another version fails with NoSuchMethodError).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * How to start the broker. {@code port} and {@code controllerPort} 0 mean "pick a free one"; {@code security}
     * null means plaintext.
     */
    public record Options(String host, int port, int controllerPort, int partitions, Path logDir, Security security) {
        public static final int DEFAULT_PARTITIONS = 6;

        public Options {
            if (host == null || host.isBlank()) {
                host = Net.IPV6_LOOPBACK;
            }
            host = Net.bareHost(host);
            if (partitions <= 0) {
                partitions = DEFAULT_PARTITIONS;
            }
            if (security == null) {
                security = Security.NONE;
            }
        }

        public Options(String host, int port, int controllerPort, int partitions, Path logDir) {
            this(host, port, controllerPort, partitions, logDir, Security.NONE);
        }

        /** [::1], free ports, 6 partitions, a temporary log dir, plaintext. */
        public static Options defaults() {
            return new Options(Net.IPV6_LOOPBACK, 0, 0, DEFAULT_PARTITIONS, null, Security.NONE);
        }

        public Options withHost(String newHost) {
            return new Options(newHost, port, controllerPort, partitions, logDir, security);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, controllerPort, partitions, logDir, security);
        }

        public Options withPartitions(int newPartitions) {
            return new Options(host, port, controllerPort, newPartitions, logDir, security);
        }

        public Options withLogDir(Path newLogDir) {
            return new Options(host, port, controllerPort, partitions, newLogDir, security);
        }

        public Options withSecurity(Security newSecurity) {
            return new Options(host, port, controllerPort, partitions, logDir, newSecurity);
        }
    }

    /**
     * What the one client listener demands: a SCRAM-SHA-512 login ({@code scram} not null), TLS, both or neither.
     * With TLS, the broker gets a self-signed certificate made at every start, which clients trust as PEM.
     */
    public record Security(ScramUser scram, boolean tls) {
        public static final Security NONE = new Security(null, false);

        public static Security scram(ScramUser user) {
            return new Security(user, false);
        }

        public Security overTls() {
            return new Security(scram, true);
        }

        /** The listener's security protocol, as clients name it. */
        public String protocol() {
            return (scram == null ? "" : "SASL_") + (tls ? "SSL" : "PLAINTEXT");
        }
    }

    /**
     * A SCRAM-SHA-512 user, created when the log dir is formatted (as {@code kafka-storage format --add-scram}
     * does): a KRaft broker keeps credentials in its metadata, and no client can create the first one over a
     * listener that already demands one. A log dir formatted without the user keeps refusing it.
     */
    public record ScramUser(String username, String password) {
        public static final String MECHANISM = "SCRAM-SHA-512";

        public ScramUser {
            // The storage tool reads "[name=...,password=...]": these would end a value early.
            for (String value : new String[] {username, password}) {
                if (value == null || value.isEmpty() || value.chars().anyMatch(c -> ",[]=\"\\".indexOf(c) >= 0)) {
                    throw new IllegalArgumentException("a SCRAM user name or password is empty or has , [ ] = \" \\");
                }
            }
        }

        /** A user with a random password, as the demo and the tests use. */
        public static ScramUser random(String username) {
            return new ScramUser(username, Uuid.randomUuid().toString());
        }

        @Override
        public String toString() {
            return "ScramUser[" + username + "]";
        }

        /** The client's JAAS line; the services write theirs from KAFKA_SASL_USERNAME/PASSWORD (service-kit). */
        public String jaasConfig() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                    + "\" password=\"" + password + "\";";
        }
    }

    static {
        Log4jApi.quietWithoutProvider();
    }

    private final Options options;
    private final String bootstrapServers;
    private final Path logDir;
    private final boolean deleteLogDirOnClose;
    private final KafkaRaftServer server;
    /** Null without TLS; its files live in a temporary dir of their own, never in the log dir. */
    private final SelfSignedTls tls;
    private boolean closed;

    private EmbeddedKafka(Options options, String bootstrapServers, Path logDir, boolean deleteLogDirOnClose,
            KafkaRaftServer server, SelfSignedTls tls) {
        this.options = options;
        this.tls = tls;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.deleteLogDirOnClose = deleteLogDirOnClose;
        this.server = server;
    }

    /** The Kafka version of the jars on the class path, e.g. "4.1.2". */
    public static String kafkaVersion() {
        return AppInfoParser.getVersion();
    }

    /** Formats the log dir (unless already formatted) and starts the broker; returns once it accepts clients. */
    public static EmbeddedKafka start(Options options) {
        String host = options.host();
        int port = options.port() > 0 ? options.port() : Net.freePort(host);
        int controllerPort = options.controllerPort() > 0 ? options.controllerPort() : Net.freePort(host);
        if (port == controllerPort) {
            // Both free-port probes can return the same port, since each socket is closed before the next bind.
            controllerPort = Net.freePort(host);
        }
        boolean tempLogDir = options.logDir() == null;
        Path logDir;
        try {
            logDir = tempLogDir ? Files.createTempDirectory("nuvola-kafka-") : Files.createDirectories(options.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SelfSignedTls tls = null;
        try {
            // Not in the log dir: the broker would take any directory there for a partition's.
            tls = options.security().tls()
                    ? SelfSignedTls.create(Files.createTempDirectory("nuvola-kafka-tls-"), host) : null;
            Properties props = serverProperties(host, port, controllerPort, options.partitions(), logDir,
                    options.security(), tls);
            format(props, logDir, options.security().scram());
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            // startup() returns once the broker is unfenced, i.e. ready for clients.
            server.startup();
            return new EmbeddedKafka(options, Net.hostPort(host, port), logDir, tempLogDir, server, tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (tempLogDir) {
                deleteRecursively(logDir);
            }
            if (tls != null) {
                deleteRecursively(tls.keyStore().getParent());
            }
            throw e;
        }
    }

    private static Properties serverProperties(String host, int port, int controllerPort, int partitions, Path logDir,
                                                Security security, SelfSignedTls tls) {
        String broker = Net.hostPort(host, port);
        String controller = Net.hostPort(host, controllerPort);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // Static voters: "format --standalone" cannot parse an IPv6 controller listener.
        p.put("controller.quorum.voters", "1@" + controller);
        // The one client listener demands SCRAM and/or TLS; the controller listener stays plaintext, as it serves
        // the KRaft quorum (this node), not produce or fetch.
        String listener = security.protocol();
        ScramUser scram = security.scram();
        p.put("listeners", listener + "://" + broker + ",CONTROLLER://" + controller);
        p.put("advertised.listeners", listener + "://" + broker);
        p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", listener);
        if (scram != null) {
            p.put("sasl.enabled.mechanisms", ScramUser.MECHANISM);
            p.put("sasl.mechanism.inter.broker.protocol", ScramUser.MECHANISM);
            p.put("listener.name." + listener.toLowerCase(Locale.ROOT) + "."
                    + ScramUser.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", scram.jaasConfig());
        }
        if (tls != null) {
            p.put("ssl.keystore.location", tls.keyStore().toString());
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.password", tls.password());
            p.put("ssl.key.password", tls.password());
            // For the broker's own inter-broker client.
            p.put("ssl.truststore.location", tls.certificatePem().toString());
            p.put("ssl.truststore.type", "PEM");
        }
        p.put("log.dirs", logDir.toString());
        // A single node: every internal topic must be satisfiable with one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Fewer internal partitions than the default 50: creating them is what a first consumer group waits for.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        // Without this, every first consumer group join waits 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Left on so that dead-letter topics of any name work; the platform topics are still created explicitly.
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", Integer.toString(partitions));
        // The operating system's socket buffers, which Linux grows with each connection's traffic, instead of
        // Kafka's fixed 100 KiB: see service-kit's microprofile-config.properties for what a fixed buffer cost.
        p.put("socket.receive.buffer.bytes", "-1");
        p.put("socket.send.buffer.bytes", "-1");
        return p;
    }

    /** Runs "kafka-storage format" in-process. StorageTool.main would call Exit.exit and end the JVM. */
    private static void format(Properties props, Path logDir, ScramUser scram) {
        // A formatted dir keeps its cluster id; "--ignore-formatted" still rejects a new id, so skip formatting.
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = null;
        try {
            configFile = Files.createTempFile("nuvola-kafka-", ".properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "Nuvola embedded Kafka");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc;
            try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                List<String> args = new ArrayList<>(List.of("format", "--config", configFile.toString(),
                        "--cluster-id", Uuid.randomUuid().toString()));
                if (scram != null) {
                    args.addAll(List.of("--add-scram", ScramUser.MECHANISM + "=[name=" + scram.username()
                            + ",password=" + scram.password() + "]"));
                }
                rc = StorageTool.execute(args.toArray(String[]::new), printer);
            }
            if (rc != 0) {
                throw new IllegalStateException("formatting the Kafka log dir failed (" + rc + "): "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
    }

    /** e.g. {@code [::1]:41234} or {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Options options() {
        return options;
    }

    public Path logDir() {
        return logDir;
    }

    /** What any client of this broker needs: where it is and, with SCRAM or TLS, how to connect and who connects. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        clientEnvironment().forEach((name, value) -> config.put(name.substring("KAFKA_".length())
                .toLowerCase(Locale.ROOT).replace('_', '.'), value));
        // Named as Quarkus maps KAFKA_* variables, but the login is one JAAS line, as service-kit writes it.
        if (config.remove("sasl.username") != null) {
            config.remove("sasl.password");
            config.put(SaslConfigs.SASL_JAAS_CONFIG, options.security().scram().jaasConfig());
        }
        return config;
    }

    /** The same, as the services read it from their environment (docs/kafka-security.md). */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        Security security = options.security();
        if (security.scram() != null || security.tls()) {
            env.put("KAFKA_SECURITY_PROTOCOL", security.protocol());
        }
        if (security.scram() != null) {
            env.put("KAFKA_SASL_MECHANISM", ScramUser.MECHANISM);
            env.put("KAFKA_SASL_USERNAME", security.scram().username());
            env.put("KAFKA_SASL_PASSWORD", security.scram().password());
        }
        if (tls != null) {
            env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", tls.certificatePem().toString());
            env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        }
        return env;
    }

    /** Admin client settings for this broker; close the admin yourself. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = clientConfig();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "nuvola-devstack-admin");
        return config;
    }

    /** The platform topics in creation order: each of {@link Topics#ALL}, then its dead-letter topic. */
    public static List<String> platformTopicNames() {
        List<String> names = new ArrayList<>(Topics.ALL);
        Topics.ALL.forEach(topic -> names.add(Topics.dlq(topic)));
        return names;
    }

    /**
     * Creates every platform topic with the configured partition count; compacted where {@link Topics#COMPACTED}
     * says so. Dead-letter topics get the same partition count so that a record keeps its key's partition, and are
     * never compacted (every failed record matters). Idempotent: topics that exist are left as they are.
     */
    public void createPlatformTopics() {
        int partitions = options.partitions();
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            NewTopic newTopic = new NewTopic(topic, partitions, (short) 1);
            if (Topics.COMPACTED.contains(topic)) {
                newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(newTopic);
            topics.add(new NewTopic(Topics.dlq(topic), partitions, (short) 1));
        }
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + name, e);
                }
            });
        }
    }

    /** Stops the broker and controller and, for a temporary log dir, deletes it. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteLogDirOnClose) {
                deleteRecursively(logDir);
            }
            if (tls != null) {
                deleteRecursively(tls.keyStore().getParent());
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir must not fail a shutdown.
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + ", " + logDir + "]";
    }
}
