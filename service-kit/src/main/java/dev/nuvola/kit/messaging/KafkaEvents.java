package dev.nuvola.kit.messaging;

import java.time.Duration;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventRecords;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends the contract's events through one SmallRye emitter per service: the topic, key and
 * CloudEvents headers travel in the message metadata, so a single outgoing channel serves every topic.
 */
public final class KafkaEvents {
    /** Longer than the producer's own delivery timeout would be pointless; shorter would give up on a slow broker. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private KafkaEvents() {
    }

    public static Message<byte[]> toMessage(ProducerRecord<String, byte[]> record) {
        return Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic())
                .withKey(record.key())
                .withHeaders(record.headers())
                .build());
    }

    /** Publishes and waits until the broker has the record: for effects that must be recorded before moving on. */
    public static void publishAndAwait(MutinyEmitter<byte[]> emitter, String key, Record event, String source) {
        emitter.sendMessage(toMessage(EventRecords.create(key, event, source))).await().atMost(SEND_TIMEOUT);
    }

    /** As {@link #publishAndAwait(MutinyEmitter, String, Record, String)}, with the event's attributes given. */
    public static void publishAndAwait(MutinyEmitter<byte[]> emitter, String key, Record event, CloudEvent meta) {
        emitter.sendMessage(toMessage(EventRecords.create(key, event, meta))).await().atMost(SEND_TIMEOUT);
    }

    /** Publishes without waiting; failures are logged by the connector. */
    public static void publish(MutinyEmitter<byte[]> emitter, String key, Record event, String source) {
        emitter.sendMessageAndForget(toMessage(EventRecords.create(key, event, source)));
    }
}
