package dev.nuvola.kit.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.EventCodec;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.InvalidEventException;
import dev.nuvola.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Bad records go to their topic's .dlq with the reason (same headers as the connector's own strategy),
 * and only bad records: a record that decodes but cannot be applied now (the database is down, the
 * service is stopping) fails the channel instead, so its offset is not committed and it is read again
 * after a restart. The connector's dead-letter strategy cannot tell the two apart.
 * <p>
 * Several services read the same topic, so one bad record is dead-lettered once by each of them:
 * {@code dead-letter-consumer} (the service's event source) tells the copies apart.
 */
@Singleton // called for every record: no client proxy in between (see the scaler's ScalingService)
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    /**
     * The most of a value the .dlq keeps: the largest value an event may have. A longer value (one up to the
     * broker's limit) could not be sent back out with headers added, and a refused send stops the consumer; its
     * head is enough to see what it was, and the whole is still on the topic at the offset the headers give,
     * until retention. With the limits below, any copy fits the producer's and broker's default 1 MiB.
     */
    public static final int KEPT_VALUE_BYTES = EventCodec.MAX_BYTES;
    /** The most of the original headers kept, in order; a header that would pass it is left out. */
    public static final int KEPT_HEADER_BYTES = 64 * 1024;
    /** Keys and reasons are short in every valid record; a bad one may carry a megabyte in either. */
    public static final int KEPT_KEY_CHARS = 1024;
    public static final int KEPT_REASON_CHARS = 1024;

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String CONSUMER = "dead-letter-consumer";
    /** Only on a cut value: its length in bytes before the cut. */
    public static final String VALUE_BYTES = "dead-letter-value-bytes";
    /** Only when original headers were left out: how many, and their bytes. */
    public static final String DROPPED_HEADERS = "dead-letter-dropped-headers";

    private final MutinyEmitter<byte[]> emitter;
    private final String consumer;

    DeadLetters(@Channel("events-out") MutinyEmitter<byte[]> emitter,
                @ConfigProperty(name = "nuvola.event-source") String consumer) {
        this.emitter = emitter;
        this.consumer = consumer;
    }

    /** The record's event, or empty when it is not a valid event of {@code type}: it is then in the .dlq. */
    public <T extends Record> Optional<Envelope<T>> read(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return Optional.of(EventRecords.read(record, type));
        } catch (InvalidEventException e) {
            send(record, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The record's payload, or empty when it is not a valid event of {@code type}: it is then in the .dlq. The same
     * checks as {@link #read}, for a consumer that needs none of the CloudEvents attributes (cheaper: the scaler's
     * samples).
     */
    public <T extends Record> Optional<T> readPayload(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return Optional.of(EventRecords.readPayload(record, type));
        } catch (InvalidEventException e) {
            send(record, e.getMessage());
            return Optional.empty();
        }
    }

    /** Waits for the broker: the record's offset must not be committed before the record is kept. */
    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead = deadLetter(record, reason, consumer);
        emitter.sendMessage(KafkaEvents.toMessage(dead)).await().atMost(KafkaEvents.SEND_TIMEOUT);
        LOG.warnf("record %s-%d@%d sent to %s: %s", record.topic(), record.partition(), record.offset(),
                dead.topic(), reason);
    }

    /**
     * The .dlq copy of {@code record}: its key, headers and value, each cut to the limits above so that the copy
     * always fits, and where it was read, by whom, and why.
     */
    public static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason,
                                                            String consumer) {
        RecordHeaders headers = new RecordHeaders();
        int kept = 0;
        int dropped = 0;
        long droppedBytes = 0;
        for (Header header : record.headers()) {
            int size = utf8(header.key()).length + (header.value() == null ? 0 : header.value().length);
            if (kept + size <= KEPT_HEADER_BYTES) {
                headers.add(header);
                kept += size;
            } else {
                dropped++;
                droppedBytes += size;
            }
        }
        if (dropped > 0) {
            headers.add(DROPPED_HEADERS, utf8(dropped + " headers, " + droppedBytes + " bytes"));
        }
        headers.add(REASON, utf8(cut(String.valueOf(reason), KEPT_REASON_CHARS)));
        headers.add(TOPIC, utf8(record.topic()));
        headers.add(PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET, utf8(Long.toString(record.offset())));
        headers.add(CONSUMER, utf8(consumer));
        byte[] value = record.value();
        if (value != null && value.length > KEPT_VALUE_BYTES) {
            headers.add(VALUE_BYTES, utf8(Integer.toString(value.length)));
            value = Arrays.copyOf(value, KEPT_VALUE_BYTES);
        }
        String key = record.key() == null ? null : cut(record.key(), KEPT_KEY_CHARS);
        return new ProducerRecord<>(Topics.dlq(record.topic()), null, key, value, headers);
    }

    private static String cut(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars - 1) + "…";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
