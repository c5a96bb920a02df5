package dev.nuvola.devstack.kafka;

import dev.nuvola.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One broker on [::1] shared by all tests of this class: starting one costs about two seconds. */
class EmbeddedKafkaTest {
    private static final int PARTITIONS = 3;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withHost("::1").withPartitions(PARTITIONS));
        kafka.createPlatformTopics();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void advertisesAnIpv6LiteralInBrackets() {
        assertTrue(kafka.bootstrapServers().matches("\\[::1]:\\d+"), kafka.bootstrapServers());
    }

    @Test
    void createsEveryPlatformTopicAndItsDeadLetterTopic() throws Exception {
        List<String> expected = EmbeddedKafka.platformTopicNames();
        assertEquals(2 * Topics.ALL.size(), expected.size());
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            Set<String> existing = admin.listTopics().names().get();
            assertTrue(existing.containsAll(expected), "missing: " + expected.stream()
                    .filter(t -> !existing.contains(t)).collect(Collectors.toList()));

            Map<String, TopicDescription> descriptions = admin.describeTopics(expected).allTopicNames().get();
            descriptions.forEach((name, description) ->
                    assertEquals(PARTITIONS, description.partitions().size(), name));

            List<ConfigResource> resources = expected.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            for (ConfigResource resource : resources) {
                String policy = configs.get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                String expectedPolicy = Topics.COMPACTED.contains(resource.name())
                        ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
                assertEquals(expectedPolicy, policy, resource.name());
            }
        }
    }

    @Test
    void leavesSocketBuffersToTheOperatingSystem() throws Exception {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertEquals("-1", config.get("socket.receive.buffer.bytes").value());
            assertEquals("-1", config.get("socket.send.buffer.bytes").value());
        }
    }

    @Test
    void creatingThePlatformTopicsAgainIsHarmless() {
        kafka.createPlatformTopics();
    }

    @Test
    void roundTripOverIpv6() {
        String topic = Topics.GUEST_METRICS;
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            sent = assertDoesNotThrowGet(producer.send(new ProducerRecord<>(topic, "guest-1", "{\"cpu\":0.5}")));
        }

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "round-trip-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            assertEquals(1, received.size());
            ConsumerRecord<String, String> record = received.get(0);
            assertEquals("guest-1", record.key());
            assertEquals("{\"cpu\":0.5}", record.value());
            assertEquals(sent.partition(), record.partition());
        }
    }

    @Test
    void deadLetterTopicsOfAnyNameAreCreatedOnFirstUse() throws Exception {
        String topic = Topics.dlq("some.consumer-of-its-own");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            assertDoesNotThrowGet(producer.send(new ProducerRecord<>(topic, "k", "v")));
        }
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            assertTrue(admin.listTopics().names().get().contains(topic));
        }
    }

    private static <T> T assertDoesNotThrowGet(java.util.concurrent.Future<T> future) {
        try {
            return future.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
