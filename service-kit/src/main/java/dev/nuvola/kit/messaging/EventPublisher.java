package dev.nuvola.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventType;
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

    /** Publishes an event under the given id, waiting for the broker: to send again exactly what was sent before. */
    public void publishAndAwait(String key, Record event, CloudEvent meta) {
        KafkaEvents.publishAndAwait(emitter, key, event, meta);
    }

    /** The attributes a new event of this type gets from this service. */
    public CloudEvent newEvent(Class<? extends Record> type) {
        return CloudEvent.create(EventType.of(type), source);
    }

    /** False until the channel is connected to Kafka, shortly after start. */
    public boolean ready() {
        return emitter.hasRequests();
    }

    /** Fire and forget: for samples, where the next one supersedes a lost one. */
    public void publish(String key, Record event) {
        KafkaEvents.publish(emitter, key, event, source);
    }
}
