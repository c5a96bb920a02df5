package dev.nuvola.kit.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.nuvola.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends one bad record to its topic's .dlq with the reason, for consumers that read in batches (the
 * connector's own dead-letter strategy would send the whole batch). Same headers as the connector's.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    DeadLetters(@Channel("events-out") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Waits for the broker: the batch's offsets must not be committed before its bad records are kept. */
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
