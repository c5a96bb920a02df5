package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.Platform;
import dev.nuvola.devstack.platform.PlatformHttp;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;

/**
 * The packaged platform against a broker whose only client listener is SASL_SSL: SCRAM-SHA-512 over TLS with a
 * self-signed certificate. Every service and the agent get only KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and
 * KAFKA_SSL_TRUSTSTORE_* from their environment, as in production (docs/kafka-security.md). A sample, the scaler's
 * decision, the agent's resize and its result all cross the broker, so each of their clients (channels, the
 * scaler's own consumer, health checks) trusted the certificate and logged in.
 */
class KafkaSaslTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = PlatformHttp.client();
    private static final String GUEST = "sasl-1";
    private static final EmbeddedKafka.ScramUser USER = EmbeddedKafka.ScramUser.random("nuvola-platform");

    @AutoClose
    static Platform platform;

    @BeforeAll
    static void startPlatform() throws IOException {
        Path work = AgentUnderTest.freshWorkDir("kafka-sasl");
        Path node = work.resolve("node-1.xml");
        Files.writeString(node, NodeFile.xml(16384, 8, List.of(new NodeFile.Domain(GUEST, 2048, 8192, 2, 8))));
        platform = Platform.start(new Platform.Options(AgentUnderTest.repoRoot(), "::1", 1, 0, 0, i -> node, work,
                Map.of(), EmbeddedKafka.Security.scram(USER).overTls()), System.out);
    }

    @Test
    void aSampleBecomesAResizeTheAgentAppliesAndReportsOverSasl() throws Exception {
        URI inventory = platform.service("inventory-service").baseUri();
        URI agent = platform.agent(1).baseUri();
        // Readiness includes each service's Kafka health check, an admin client of its own.
        for (String name : List.of("inventory-service", "scaler-service", "migration-service", "host-agent-1")) {
            assertThat(get(platform.service(name).baseUri().resolve("/q/health/ready")).get("status").asText())
                    .as(name).isEqualTo("UP");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status(inventory.resolve("/api/v1/guests/" + GUEST)) == 200);

        long t0 = System.nanoTime();
        HttpResponse<String> put = send(HttpRequest.newBuilder(agent.resolve("/api/v1/simulation/guests/" + GUEST + "/load"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token("operator"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"workingSetMiB\":1800,\"cpuUsage\":0.3}")).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(inventory.resolve("/api/v1/guests/" + GUEST)).get("memoryMiB").asLong() > 2048);
        long grownTo = get(inventory.resolve("/api/v1/guests/" + GUEST)).get("memoryMiB").asLong();
        System.out.printf("[kafka-sasl] load raised -> inventory serves %d MiB after %d ms%n", grownTo,
                (System.nanoTime() - t0) / 1_000_000);

        List<ResizeResult> results = resizeResults(platform.kafkaClientConfig());
        assertThat(results).filteredOn(r -> r.guestId().equals(GUEST)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(ResizeOutcome.APPLIED);
            assertThat(r.after().memoryMiB()).isEqualTo(grownTo);
        });
    }

    /** Without this, the path above would prove nothing about SASL: the broker must really check the password. */
    @Test
    void aClientWithAWrongPasswordIsRefused() {
        Map<String, Object> config = new HashMap<>(platform.kafkaClientConfig());
        config.put(SaslConfigs.SASL_JAAS_CONFIG, new EmbeddedKafka.ScramUser(USER.username(), "not-" + USER.password())
                .jaasConfig());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** Every result on the topic, read with the platform's login from the beginning, in a group of its own. */
    private static List<ResizeResult> resizeResults(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ResizeResult> results = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RESIZE_RESULTS));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (results.isEmpty() && System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    results.add(EventRecords.read(record, ResizeResult.class).payload());
                }
            }
        }
        return results;
    }

    private static JsonNode get(URI uri) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token("viewer")).build());
        assertThat(response.statusCode()).as("GET " + uri + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token("viewer")).build()).statusCode();
    }

    private static String token(String role) {
        return platform.keys().token(role, "system-test", Duration.ofMinutes(30));
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
