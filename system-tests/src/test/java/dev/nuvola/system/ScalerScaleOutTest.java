package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.Net;
import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.PlatformHttp;
import dev.nuvola.devstack.platform.ServiceProcess;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;

/**
 * Two scaler instances in one consumer group share the guests by partition. A second instance joins while
 * guests are under pressure, and later the first one leaves: every guest must grow exactly once for each
 * rise of its load (no decision lost, none applied twice), through a real agent on libvirt's test driver.
 */
class ScalerScaleOutTest {
    private static final String HOST = "so-host";
    private static final int GUESTS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = PlatformHttp.client();
    private static Path work;

    @Test
    void guestsAreSharedByPartitionAndSurviveRebalances() throws Exception {
        work = AgentUnderTest.freshWorkDir("scaler-scale-out");
        List<NodeFile.Domain> domains = IntStream.range(0, GUESTS)
                .mapToObj(i -> new NodeFile.Domain(guest(i), 2048, 8192, 2, 8)).toList();
        Path node = work.resolve("node.xml");
        Files.writeString(node, NodeFile.xml(512 * 1024, 256, domains));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withLogDir(work.resolve("kafka")));
             TestKafka client = new TestKafka(kafka.bootstrapServers())) {
            kafka.createPlatformTopics();
            try (ServiceProcess agent = AgentUnderTest.start(HOST, kafka.bootstrapServers(), work,
                    Map.of("NUVOLA_LIBVIRT_URI", "test://" + node));
                 ServiceProcess scalerA = scaler("scaler-a", kafka, work)) {
                scalerA.awaitReady(Duration.ofSeconds(90));

                // First rise: half the guests under pressure, then a second instance joins (a rebalance),
                // then the other half.
                for (int i = 0; i < GUESTS / 2; i++) {
                    load(agent, guest(i), 1800);
                }
                try (ServiceProcess scalerB = scaler("scaler-b", kafka, work)) {
                    scalerB.awaitReady(Duration.ofSeconds(90));
                    // Ready over HTTP is not yet in the group: wait until both instances own partitions.
                    awaitMembersWithPartitions(kafka, 2);
                    for (int i = GUESTS / 2; i < GUESTS; i++) {
                        load(agent, guest(i), 1800);
                    }
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> grownGuests(client, 2048).size() == GUESTS);
                    int decidedByA = resizeDecisions(scalerA).size();
                    int decidedByB = resizeDecisions(scalerB).size();
                    assertThat(decidedByA).as("resizes decided by instance A").isPositive();
                    assertThat(decidedByB).as("resizes decided by instance B").isPositive();

                    // Second rise, after instance A leaves: B owns every partition and must decide them all.
                    scalerA.close();
                    Map<String, Long> sizes = sizesOnAgent(agent);
                    for (int i = 0; i < GUESTS; i++) {
                        load(agent, guest(i), Math.round(sizes.get(guest(i)) * 0.94));
                    }
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> grownGuests(client, 2048).values().stream().allMatch(n -> n == 2));
                    Thread.sleep(3000);

                    Map<String, Integer> grown = grownGuests(client, 2048);
                    assertThat(grown).hasSize(GUESTS);
                    assertThat(grown.values()).as("growths per guest (one per rise of its load)").containsOnly(2);
                    Map<String, Long> commands = client.events(ResizeCommand.class, c -> c.hostId().equals(HOST))
                            .stream().collect(Collectors.groupingBy(ResizeCommand::guestId, Collectors.counting()));
                    long repeated = commands.values().stream().mapToLong(n -> n - 2).sum();
                    System.out.printf("[scale-out] %d guests, 2 rises each: first rise decided %d by A and %d by B;"
                                    + " after A left, B decided all; %d commands in all, %d repeated (no-op) commands%n",
                            GUESTS, decidedByA, decidedByB, commands.values().stream().mapToLong(Long::longValue).sum(),
                            repeated);
                }
            }
        }
    }

    private static void awaitMembersWithPartitions(EmbeddedKafka kafka, int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("nuvola-scaler"))
                        .describedGroups().get("nuvola-scaler").get();
                return group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    /** Guests whose size grew, with how many times: APPLIED results whose after exceeds before. */
    private static Map<String, Integer> grownGuests(TestKafka client, long initialMiB) {
        Map<String, Integer> grown = new HashMap<>();
        for (ResizeResult r : client.events(ResizeResult.class, r -> r.hostId().equals(HOST)
                && r.outcome() == ResizeOutcome.APPLIED && r.after().memoryMiB() > r.before().memoryMiB())) {
            grown.merge(r.guestId(), 1, Integer::sum);
        }
        return grown;
    }

    private static ServiceProcess scaler(String name, EmbeddedKafka kafka, Path work) {
        return ServiceProcess.start(name, AgentUnderTest.repoRoot().resolve("scaler-service/target/quarkus-app"),
                Net.IPV6_LOOPBACK, Net.freePort(Net.IPV6_LOOPBACK),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "NUVOLA_JWT_PUBLIC_KEY", AgentUnderTest.keys(work).publicKeyFile().toString()),
                work.resolve("logs"));
    }

    private static List<JsonNode> resizeDecisions(ServiceProcess scaler) throws Exception {
        List<JsonNode> resizes = new ArrayList<>();
        for (JsonNode d : JSON.readTree(get(scaler.baseUri().resolve("/api/v1/decisions?limit=1000")))) {
            if (d.get("action").asText().equals("RESIZE")) {
                resizes.add(d);
            }
        }
        return resizes;
    }

    private static Map<String, Long> sizesOnAgent(ServiceProcess agent) throws Exception {
        Map<String, Long> sizes = new HashMap<>();
        for (JsonNode g : JSON.readTree(get(agent.baseUri().resolve("/api/v1/guests")))) {
            sizes.put(g.get("name").asText(), g.get("memoryMiB").asLong());
        }
        return sizes;
    }

    private static void load(ServiceProcess agent, String guest, long workingSetMiB) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        agent.baseUri().resolve("/api/v1/simulation/guests/" + guest + "/load"))
                .header("Content-Type", "application/json").header("Authorization", AgentUnderTest.bearer(work, "operator"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"workingSetMiB\":" + workingSetMiB + ",\"cpuUsage\":0.2}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", AgentUnderTest.bearer(work, "viewer")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String guest(int i) {
        return String.format("so-%02d", i);
    }
}
