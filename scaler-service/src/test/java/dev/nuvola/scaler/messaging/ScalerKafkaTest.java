package dev.nuvola.scaler.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The scaler against the real broker: samples in, resize commands out, bad records to the DLQ. */
@QuarkusTest
@WithTestResource(NuvolaStackResource.class)
class ScalerKafkaTest {
    static TestKafka kafka;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka(NuvolaStackResource.bootstrapServers());
    }

    /** Quarkus builds its test URL as http://::1:port (quarkusio/quarkus PR #56686); bracket it. */
    @BeforeEach
    void overIpv6() {
        RestAssured.baseURI = "http://[::1]";
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aSampleAboveTheBandBecomesOneResizeCommandKeyedByHost() {
        kafka.send("calm-then-busy", sample("calm-then-busy", 2048, 1024));
        kafka.send("calm-then-busy", sample("calm-then-busy", 2048, 1900));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !kafka.events(ResizeCommand.class, c -> c.guestId().equals("calm-then-busy")).isEmpty());
        List<ConsumerRecord<String, byte[]>> records = kafka.readAll(Topics.RESIZE_COMMANDS);
        List<ResizeCommand> commands = kafka.events(ResizeCommand.class, c -> c.guestId().equals("calm-then-busy"));
        assertThat(commands).hasSize(1);
        ResizeCommand command = commands.get(0);
        assertThat(command.hostId()).isEqualTo("host-a");
        assertThat(command.targetMemoryMiB()).isEqualTo(2560);
        assertThat(command.basedOn().memoryUsedMiB()).isEqualTo(1900);
        assertThat(command.deadline()).isAfter(command.issuedAt());
        assertThat(command.reason()).contains("above 85%");
        assertThat(records).filteredOn(r -> new String(r.value(), StandardCharsets.UTF_8).contains("calm-then-busy"))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo("host-a"));
        given().queryParam("guest", "calm-then-busy").get("/api/v1/decisions").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].commandId", equalTo(command.commandId()))
                .body("[0].reason", equalTo(command.reason()));
    }

    @Test
    void aMalformedSampleGoesToTheDlqWithItsReasonAndTheConsumerGoesOn() {
        kafka.send(new ProducerRecord<>(Topics.GUEST_METRICS, "broken", "{not json".getBytes(StandardCharsets.UTF_8)));
        kafka.send("after-broken", sample("after-broken", 1000, 990));

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.readAll(Topics.dlq(Topics.GUEST_METRICS)).stream()
                .anyMatch(r -> "broken".equals(r.key())));
        ConsumerRecord<String, byte[]> dead = kafka.readAll(Topics.dlq(Topics.GUEST_METRICS)).stream()
                .filter(r -> "broken".equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .isNotBlank();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !kafka.events(ResizeCommand.class, c -> c.guestId().equals("after-broken")).isEmpty());
    }

    @Test
    void aBadLimitIsAProblemDetail() {
        given().queryParam("limit", 0).get("/api/v1/decisions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("limit must be from 1 to 1000, got 0"));
    }

    @Test
    void isReadyWithKafkaAndPublishesItsApi() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    static GuestMetrics sample(String guest, long assigned, long used) {
        return new GuestMetrics(guest, "host-a", Instant.now(), assigned, used, assigned - used, 2, 0.2, null, null);
    }
}
