package dev.nuvola.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.nuvola.events.Topics;

/**
 * Reads every .dlq topic from its beginning as records arrive, and counts the copies of each bad record by
 * where it was read (topic, partition, offset) and by whom (the dead-lettering service's event source).
 */
final class DeadLetterWatch implements AutoCloseable {
    /** One consumer's copy of one record: where the record was, who dead-lettered it. */
    record Copy(String topic, int partition, long offset, String consumer) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<Copy, List<ConsumerRecord<String, byte[]>>> copies = new HashMap<>();
    private final List<ConsumerRecord<String, byte[]>> withoutOrigin = new ArrayList<>();

    DeadLetterWatch(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-watch-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : Topics.ALL) {
            String dlq = Topics.dlq(topic);
            consumer.partitionsFor(dlq, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(dlq, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has arrived since the last call. */
    DeadLetterWatch poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            String topic = header(r, "dead-letter-topic");
            String partition = header(r, "dead-letter-partition");
            String offset = header(r, "dead-letter-offset");
            String by = header(r, "dead-letter-consumer");
            if (topic == null || partition == null || offset == null || by == null) {
                withoutOrigin.add(r);
                continue;
            }
            copies.computeIfAbsent(new Copy(topic, Integer.parseInt(partition), Long.parseLong(offset), by),
                    c -> new ArrayList<>()).add(r);
        }
        return this;
    }

    Map<Copy, List<ConsumerRecord<String, byte[]>>> copies() {
        return copies;
    }

    List<ConsumerRecord<String, byte[]>> withoutOrigin() {
        return withoutOrigin;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
