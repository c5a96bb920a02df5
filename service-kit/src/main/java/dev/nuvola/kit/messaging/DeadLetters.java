package dev.nuvola.kit.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.InvalidEventException;
import dev.nuvola.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Bad records go to their topic's .dlq with the reason (same headers as the connector's own strategy),
 * and only bad records: a record that decodes but cannot be applied now (the database is down, the
 * service is stopping) fails the channel instead, so its offset is not committed and it is read again
 * after a restart. The connector's dead-letter strategy cannot tell the two apart.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    DeadLetters(@Channel("events-out") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
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

    /** Waits for the broker: the record's offset must not be committed before the record is kept. */
    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-reason", utf8(reason));
        headers.add("dead-letter-topic", utf8(record.topic()));
        headers.add("dead-letter-partition", utf8(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", utf8(Long.toString(record.offset())));
        emitter.sendMessage(KafkaEvents.toMessage(new ProducerRecord<>(
                Topics.dlq(record.topic()), null, record.key(), record.value(), headers)))
                .await().atMost(KafkaEvents.SEND_TIMEOUT);
        LOG.warnf("record %s-%d@%d sent to %s: %s", record.topic(), record.partition(), record.offset(),
                Topics.dlq(record.topic()), reason);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
