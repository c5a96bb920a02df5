package dev.nuvola.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes the contract's events. Every service configures one outgoing channel, {@code events-out};
 * the topic comes from the event's type, the key from the caller (the aggregate id).
 */
@ApplicationScoped
public class EventPublisher {
    private final MutinyEmitter<byte[]> emitter;
    private final String source;

    EventPublisher(@Channel("events-out") MutinyEmitter<byte[]> emitter,
                   @ConfigProperty(name = "nuvola.event-source") String source) {
        this.emitter = emitter;
        this.source = source;
    }

    /** Returns once the broker has the record: for effects that must be published before moving on. */
    public void publishAndAwait(String key, Record event) {
        KafkaEvents.publishAndAwait(emitter, key, event, source);
    }

    /** Fire and forget: for samples, where the next one supersedes a lost one. */
    public void publish(String key, Record event) {
        KafkaEvents.publish(emitter, key, event, source);
    }
}
