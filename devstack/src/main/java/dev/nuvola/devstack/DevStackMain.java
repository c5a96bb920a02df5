package dev.nuvola.devstack;

import dev.nuvola.devstack.demo.DemoFleet;
import dev.nuvola.devstack.demo.DemoScenario;
import dev.nuvola.devstack.demo.ScenarioPlayer;
import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.Platform;
import dev.nuvola.devstack.security.PlatformKeys;
import dev.nuvola.devstack.postgres.Database;
import dev.nuvola.events.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The devstack launcher ({@code java -jar devstack/target/devstack.jar COMMAND ...}): runs the platform's
 * infrastructure in the foreground until Ctrl-C.
 */
public final class DevStackMain {
    private static final PrintStream OUT = System.out;
    /** inventory 8081, scaler 8082, migration 8083, agent i 8084+i. */
    private static final int DEMO_BASE_PORT = 8080;

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
                case "demo":
                    return demo(cli);
                case "token":
                    return token(cli);
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
        } catch (IllegalStateException e) {
            System.err.println("[nuvola] " + e.getMessage());
            return 1;
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
                  demo --repo PATH [--hosts N] [--ipv4] [--scenario evening|none]
                        the whole platform from the checkout at PATH: Kafka, PostgreSQL, the four services and
                        N simulated hosts (default 3) on libvirt's test driver; inventory on port 8081,
                        scaler 8082, migration 8083, agent i on 8084+i, Kafka on 9092. The fleet's policies
                        are set at start; the evening scenario (default) then makes the chat server's load
                        climb until its host is full and a web guest moves away (none: loads are yours to set)
                  token --repo PATH [--role viewer|operator] [--hours N]
                        a bearer token signed with the running demo's key
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

    private static int demo(Cli cli) {
        cli.allowOnly("repo", "hosts", "ipv4", "scenario");
        Path repo = Path.of(cli.option("repo", ".")).toAbsolutePath().normalize();
        int hosts = cli.intOption("hosts", 3);
        if (hosts < 1 || hosts > 50) {
            throw new IllegalArgumentException("--hosts must be from 1 to 50, got " + hosts);
        }
        DemoScenario scenario = DemoScenario.named(cli.option("scenario", "evening"));
        String host = cli.flag("ipv4") ? Net.IPV4_LOOPBACK : Net.IPV6_LOOPBACK;
        Path work;
        try {
            work = Files.createTempDirectory("nuvola-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's work directory", e);
        }
        Platform platform = Platform.start(new Platform.Options(repo, host, hosts, 9092, DEMO_BASE_PORT,
                i -> DemoFleet.nodeFile(repo, work, i), work, Map.of()), OUT);
        stopOnExit("the platform", platform);

        pointToKeys(repo, work.resolve("jwt"));
        String viewer = platform.keys().token("viewer", "demo-viewer", Duration.ofHours(12));
        String inventory = "http://" + Net.hostPort(host, DEMO_BASE_PORT + 1);
        String agent1 = "http://" + Net.hostPort(host, DEMO_BASE_PORT + 5);
        OUT.println();
        OUT.println("    dashboard:    " + inventory + "/#token=" + viewer);
        OUT.println("    operator:     " + platform.keys().token("operator", "demo-operator", Duration.ofHours(12)));
        OUT.println("    a token:      TOKEN=$(./nuvola token --role viewer)   (or --role operator, for changes)");
        OUT.println("    fleet:        curl -H \"Authorization: Bearer $TOKEN\" " + inventory + "/api/v1/hosts");
        OUT.println("    one guest:    curl -H \"Authorization: Bearer $TOKEN\" " + inventory + "/api/v1/guests/xmpp-1");
        OUT.println("    decisions:    curl -H \"Authorization: Bearer $TOKEN\" http://" + Net.hostPort(host, DEMO_BASE_PORT + 2)
                + "/api/v1/decisions");
        OUT.println("    host-1 view:  curl -H \"Authorization: Bearer $TOKEN\" " + agent1 + "/api/v1/guests");
        OUT.println();
        OUT.println("    Raise the chat server's load (88 % of its 2048 MiB, above its 75 % target) and watch it grow live:");
        OUT.println("    curl -X PUT -H \"Authorization: Bearer $(./nuvola token --role operator)\" \\");
        OUT.println("         -H 'Content-Type: application/json' -d '{\"workingSetMiB\":1800,\"cpuUsage\":0.5}' \\");
        OUT.println("         " + agent1 + "/api/v1/simulation/guests/xmpp-1/load");
        OUT.println("    curl -H \"Authorization: Bearer $TOKEN\" " + inventory + "/api/v1/guests/xmpp-1");
        OUT.println();
        OUT.println("[nuvola] scenario " + scenario.name() + ": " + scenario.description());
        OUT.println("[nuvola] logs in " + work.resolve("logs") + "; press Ctrl-C to stop everything");
        ScenarioPlayer player = new ScenarioPlayer(platform, hosts, scenario, OUT);
        stopOnExit("the scenario", player);
        player.start();
        return waitForever();
    }

    /** Where {@code ./nuvola token} finds the running demo's signing key: a link in the checkout's .nuvola. */
    private static Path keysLink(Path repo) {
        return repo.resolve(".nuvola/demo-jwt");
    }

    private static void pointToKeys(Path repo, Path keys) {
        Path link = keysLink(repo);
        try {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + link + " to the demo's key", e);
        }
    }

    /** Prints a bearer token signed with the running demo's key. */
    private static int token(Cli cli) {
        cli.allowOnly("repo", "role", "subject", "hours");
        Path repo = Path.of(cli.option("repo", ".")).toAbsolutePath().normalize();
        String role = cli.option("role", "viewer");
        PlatformKeys keys = PlatformKeys.load(keysLink(repo));
        OUT.println(keys.token(role, cli.option("subject", "demo-" + role), Duration.ofHours(cli.intOption("hours", 12))));
        return 0;
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
