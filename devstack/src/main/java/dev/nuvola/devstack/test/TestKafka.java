package dev.nuvola.devstack.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.EventType;

/**
 * A plain Kafka client for tests against the real broker: sends the contract's events (or raw bytes, to
 * test bad input) and reads topics from the beginning with a group of its own.
 */
public final class TestKafka implements AutoCloseable {
    private static TestKafka shared;

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    /** One client for the test JVM's broker (see {@link NuvolaStackResource}), closed when the JVM ends. */
    public static synchronized TestKafka shared() {
        if (shared == null) {
            TestKafka client = new TestKafka(NuvolaStackResource.bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(client::close, "nuvola-test-kafka-close"));
            shared = client;
        }
        return shared;
    }

    public TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends a contract event, keyed by {@code key}, with fresh CloudEvents headers; returns its record. */
    public ProducerRecord<String, byte[]> send(String key, Record event) {
        return send(EventRecords.create(key, event, "/nuvola/test"));
    }

    /** Sends a record as it is: for duplicates (the same record twice) and malformed input. */
    public ProducerRecord<String, byte[]> send(ProducerRecord<String, byte[]> record) {
        Futures.await(producer.send(record), "send to " + record.topic() + " failed");
        return record;
    }

    /** Every record now on {@code topic}, from its beginning to its current end. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 20 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The valid events of {@code type} now on its topic that match {@code filter}. */
    public <T extends Record> List<T> events(Class<T> type, Predicate<T> filter) {
        return envelopes(type).stream().map(Envelope::payload).filter(filter).toList();
    }

    public <T extends Record> List<Envelope<T>> envelopes(Class<T> type) {
        return readAll(EventType.of(type).topic()).stream().map(r -> EventRecords.read(r, type)).toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
