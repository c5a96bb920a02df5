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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.Platform;
import dev.nuvola.devstack.platform.PlatformHttp;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;

/**
 * The walking skeleton, end to end through the real parts: a real Kafka broker and PostgreSQL, the four
 * services as separate JVMs from their packaged jars, one host agent on libvirt's test driver, all on
 * [::1]. A simulated guest's load goes up; the scaler decides, the agent resizes live through libvirt,
 * inventory stores the new size.
 */
class WalkingSkeletonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = PlatformHttp.client();
    private static final String GUEST = "chat-1";

    static Platform platform;

    @BeforeAll
    static void startPlatform() throws IOException {
        // Under target/, not a temp dir: the services' logs stay for whoever reads a failure.
        Path work = AgentUnderTest.freshWorkDir("walking-skeleton");
        Path node = work.resolve("node-1.xml");
        Files.writeString(node, NodeFile.xml(16384, 8, List.of(
                new NodeFile.Domain(GUEST, 2048, 8192, 2, 8),
                new NodeFile.Domain("web-1", 1024, 4096, 1, 4))));
        platform = Platform.start(new Platform.Options(AgentUnderTest.repoRoot(), "::1", 1, 0, 0, i -> node, work, Map.of()),
                System.out);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aGuestUnderMemoryPressureGrowsLiveAndInventoryServesItsNewSize() throws Exception {
        URI inventory = platform.service("inventory-service").baseUri();
        URI agent = platform.agent(1).baseUri();
        assertThat(inventory.getHost()).isEqualTo("[::1]");

        // Inventory learns the fleet from the agent's host status.
        await().atMost(Duration.ofSeconds(30)).until(() -> status(inventory.resolve("/api/v1/guests/" + GUEST)) == 200);
        assertThat(get(inventory.resolve("/api/v1/guests/" + GUEST)).get("memoryMiB").asLong()).isEqualTo(2048);

        // 1800 of 2048 MiB is 88 %, above the default policy's band (75 % target): the guest must grow live
        // to a size that brings it back inside the band, in one step.
        long t0 = System.nanoTime();
        HttpResponse<String> put = send(HttpRequest.newBuilder(
                        agent.resolve("/api/v1/simulation/guests/" + GUEST + "/load"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + platform.keys().token("operator", "system-test", Duration.ofMinutes(30)))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"workingSetMiB\":1800,\"cpuUsage\":0.3}")).build());
        assertThat(put.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(inventory.resolve("/api/v1/guests/" + GUEST)).get("memoryMiB").asLong() > 2048);
        long grownTo = get(inventory.resolve("/api/v1/guests/" + GUEST)).get("memoryMiB").asLong();
        System.out.printf("[skeleton] load raised -> inventory serves %d MiB after %d ms%n", grownTo,
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(1800.0 / grownTo).as("back inside the band").isLessThanOrEqualTo(0.80);

        // libvirt's view, read live by the agent from the test driver.
        JsonNode libvirtGuest = guestOnAgent(agent, GUEST);
        assertThat(libvirtGuest.get("memoryMiB").asLong()).isEqualTo(grownTo);
        assertThat(libvirtGuest.get("running").asBoolean()).isTrue();
        assertThat(guestOnAgent(agent, "web-1").get("memoryMiB").asLong()).isEqualTo(1024);

        // A few more samples inside the band must not grow it again: exactly one APPLIED result on the topic.
        Thread.sleep(3000);
        List<ResizeResult> results = resizeResults();
        assertThat(results).filteredOn(r -> r.guestId().equals(GUEST)).hasSize(1)
                .allSatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo(ResizeOutcome.APPLIED);
                    assertThat(r.before().memoryMiB()).isEqualTo(2048);
                    assertThat(r.after().memoryMiB()).isEqualTo(grownTo);
                });
        assertThat(get(inventory.resolve("/api/v1/guests/" + GUEST + "/history")).size()).isEqualTo(1);
        assertThat(get(inventory.resolve("/api/v1/guests/" + GUEST)).get("memoryMiB").asLong()).isEqualTo(grownTo);
        JsonNode decisions = get(platform.service("scaler-service").baseUri().resolve("/api/v1/decisions?guest=" + GUEST));
        assertThat(decisions.get(0).get("action").asText()).isEqualTo("RESIZE");
        assertThat(decisions.get(0).get("reason").asText()).isNotBlank();
    }

    @Test
    void everyServiceServesHealthMetricsAndOpenApiOverIpv6() throws Exception {
        for (String name : List.of("inventory-service", "scaler-service", "migration-service", "host-agent-1")) {
            URI base = platform.service(name).baseUri();
            JsonNode ready = get(base.resolve("/q/health/ready"));
            assertThat(ready.get("status").asText()).as(name).isEqualTo("UP");
            assertThat(status(base.resolve("/q/health/live"))).as(name).isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(base.resolve("/q/metrics")).build()).body())
                    .as(name).contains("jvm_memory_used_bytes");
            assertThat(send(HttpRequest.newBuilder(base.resolve("/q/openapi")).build()).body())
                    .as(name).contains("/api/v1/");
        }
    }

    /** The packaged services verify with the key the platform gave them all (NUVOLA_JWT_PUBLIC_KEY). */
    @Test
    void everyServiceRefusesItsApiWithoutATokenAndServesItWithThePlatformsToken() throws Exception {
        Map<String, String> reads = Map.of("inventory-service", "/api/v1/hosts", "scaler-service", "/api/v1/decisions",
                "migration-service", "/api/v1/migrations", "host-agent-1", "/api/v1/guests");
        for (Map.Entry<String, String> read : reads.entrySet()) {
            URI uri = platform.service(read.getKey()).baseUri().resolve(read.getValue());
            assertThat(send(HttpRequest.newBuilder(uri).build()).statusCode()).as(read.getKey()).isEqualTo(401);
            assertThat(status(uri)).as(read.getKey()).isEqualTo(200);
        }
        HttpResponse<String> asViewer = send(HttpRequest.newBuilder(
                        platform.agent(1).baseUri().resolve("/api/v1/simulation/guests/" + GUEST + "/load"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + viewerToken())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"workingSetMiB\":100,\"cpuUsage\":0.1}")).build());
        assertThat(asViewer.statusCode()).as(asViewer.body()).isEqualTo(403);
    }

    private static JsonNode guestOnAgent(URI agent, String name) throws Exception {
        for (JsonNode guest : get(agent.resolve("/api/v1/guests"))) {
            if (guest.get("name").asText().equals(name)) {
                return guest;
            }
        }
        throw new AssertionError("agent does not list " + name);
    }

    /** Every result on the topic, read from the beginning with a group of its own. */
    private static List<ResizeResult> resizeResults() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ResizeResult> results = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RESIZE_RESULTS));
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    results.add(EventRecords.read(record, ResizeResult.class).payload());
                }
                if (!results.isEmpty() && consumer.assignment().stream()
                        .allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
                    break;
                }
            }
        }
        return results;
    }

    private static JsonNode get(URI uri) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
                .header("Authorization", "Bearer " + viewerToken()).build());
        assertThat(response.statusCode()).as("GET " + uri + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + viewerToken()).build()).statusCode();
    }

    /** Reads need role viewer; the platform's own key signs the token, as ./nuvola token does for the demo. */
    private static String viewerToken() {
        return platform.keys().token("viewer", "system-test", Duration.ofMinutes(30));
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
