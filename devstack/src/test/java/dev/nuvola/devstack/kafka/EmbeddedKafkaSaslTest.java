package dev.nuvola.devstack.kafka;

import dev.nuvola.events.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The broker in SCRAM mode demands the login: its user gets through, a wrong password does not. */
class EmbeddedKafkaSaslTest {
    private static final EmbeddedKafka.ScramUser USER = EmbeddedKafka.ScramUser.random("nuvola");
    @AutoClose
    private static final EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPartitions(2)
            .withSecurity(EmbeddedKafka.Security.scram(USER)));

    @BeforeAll
    static void createTopics() {
        kafka.createPlatformTopics();
    }

    @Test
    void theUserProducesAndConsumes() {
        Map<String, Object> producerConfig = kafka.clientConfig();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.HOST_STATUS, "host-1", "hello")).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, Object> consumerConfig = kafka.clientConfig();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-test");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.HOST_STATUS));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.isEmpty() && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        assertEquals(List.of("hello"), values);
        assertEquals("SASL_PLAINTEXT", kafka.clientEnvironment().get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals(USER.password(), kafka.clientEnvironment().get("KAFKA_SASL_PASSWORD"));
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> config = new HashMap<>(kafka.adminConfig());
        config.put(SaslConfigs.SASL_JAAS_CONFIG, new EmbeddedKafka.ScramUser(USER.username(), "wrong").jaasConfig());
        assertInstanceOf(SaslAuthenticationException.class, whyListingTopicsFails(config, 5_000));
    }

    @Test
    void aClientWithoutTheLoginGetsNothing() {
        Map<String, Object> config = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        assertInstanceOf(TimeoutException.class, whyListingTopicsFails(config, 2_000));
    }

    /** What an admin client with these settings is refused with; each request waits at most requestTimeoutMs. */
    static Throwable whyListingTopicsFails(Map<String, Object> settings, int requestTimeoutMs) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, requestTimeoutMs + 1_000);
        try (Admin admin = Admin.create(config)) {
            return assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(20, TimeUnit.SECONDS)).getCause();
        }
    }
}
