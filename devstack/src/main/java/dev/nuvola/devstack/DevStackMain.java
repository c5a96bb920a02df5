package dev.nuvola.devstack;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.postgres.Database;
import dev.nuvola.events.Topics;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The devstack launcher ({@code java -jar devstack/target/devstack.jar COMMAND ...}): runs the platform's
 * infrastructure in the foreground until Ctrl-C.
 */
public final class DevStackMain {
    private static final PrintStream OUT = System.out;

    private DevStackMain() {
    }

    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Returns the exit status for commands that end; long-running commands return only when interrupted. */
    static int run(String... args) {
        try {
            Cli cli = Cli.parse(args);
            switch (cli.command()) {
                case "kafka":
                    return kafka(cli);
                case "postgres":
                    return postgres(cli);
                case "help":
                case "h":
                    usage(OUT);
                    return 0;
                default:
                    System.err.println(cli.command().isEmpty() ? "[nuvola] no command given"
                            : "[nuvola] unknown command: " + cli.command());
                    usage(System.err);
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("[nuvola] " + e.getMessage());
            usage(System.err);
            return 2;
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: devstack COMMAND [OPTIONS]

                  kafka [--ipv4|--ipv6] [--port N] [--partitions N]
                        a Kafka broker (KRaft, one node) with the platform topics; default [::1]:9092, 6 partitions
                  postgres [--port N] [--databases a,b]
                        an embedded PostgreSQL (default port 5432) with one database per service
                        (default: inventory,migration); NUVOLA_DB_URL set means: use that server, start nothing
                  help
                """);
    }

    private static int kafka(Cli cli) {
        cli.allowOnly("ipv4", "ipv6", "port", "partitions");
        if (cli.flag("ipv4") && cli.flag("ipv6")) {
            throw new IllegalArgumentException("choose one of --ipv4 and --ipv6");
        }
        String host = cli.flag("ipv4") ? Net.IPV4_LOOPBACK : Net.IPV6_LOOPBACK;
        int port = cli.intOption("port", 9092);
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults()
                .withHost(host).withPort(port).withPartitions(cli.intOption("partitions", 6));

        OUT.printf("[nuvola] starting Kafka %s (KRaft) on %s ...%n", EmbeddedKafka.kafkaVersion(),
                Net.hostPort(host, port));
        long began = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.start(options);
        stopOnExit("Kafka", kafka);
        kafka.createPlatformTopics();
        OUT.printf("[nuvola] Kafka ready in %.1f s%n", seconds(began));
        OUT.println("[nuvola] topics (" + options.partitions() + " partitions each):");
        for (String topic : EmbeddedKafka.platformTopicNames()) {
            OUT.println("[nuvola]   " + topic + (Topics.COMPACTED.contains(topic) ? "  (compacted)" : ""));
        }
        OUT.println("[nuvola] log dir " + kafka.logDir() + " (deleted on exit)");
        OUT.println();
        OUT.println("    kafka.bootstrap.servers=" + kafka.bootstrapServers());
        OUT.println();
        OUT.println("[nuvola] press Ctrl-C to stop");
        return waitForever();
    }

    private static int postgres(Cli cli) {
        cli.allowOnly("port", "databases");
        List<String> names = Arrays.stream(cli.option("databases", "inventory,migration").split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
        int port = cli.intOption("port", 5432);

        Optional<Database> configured = Database.fromSettings();
        if (configured.isPresent()) {
            OUT.println("[nuvola] " + Database.URL_SETTING + " is set, so nothing to start: "
                    + configured.get().jdbcUrl());
            return 0;
        }
        OUT.printf("[nuvola] starting PostgreSQL (embedded) on %s ...%n", Net.hostPort(Net.IPV6_LOOPBACK, port));
        long began = System.nanoTime();
        Database database = Database.startEmbedded(port);
        stopOnExit("PostgreSQL", database);
        OUT.printf("[nuvola] PostgreSQL ready in %.1f s (also on %s)%n", seconds(began),
                Net.hostPort(Net.IPV4_LOOPBACK, port));
        OUT.println();
        OUT.printf("    %-11s %s%n", "server:", database.jdbcUrl());
        for (String name : names) {
            OUT.printf("    %-11s %s%n", name + ":", database.createDatabase(name));
        }
        OUT.println("    user " + database.username() + ", password " + database.password()
                + " (the embedded server trusts local connections)");
        OUT.println();
        OUT.println("[nuvola] data is deleted on exit; press Ctrl-C to stop");
        return waitForever();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void stopOnExit(String what, AutoCloseable resource) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OUT.println("[nuvola] stopping " + what + " ...");
            long began = System.nanoTime();
            try {
                resource.close();
                OUT.printf("[nuvola] %s stopped in %.1f s%n", what, seconds(began));
            } catch (Exception e) {
                System.err.println("[nuvola] stopping " + what + " failed: " + e);
            }
        }, "nuvola-stop-" + what));
    }

    /** Until Ctrl-C (SIGINT/SIGTERM): the shutdown hooks then stop what was started. */
    private static int waitForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
