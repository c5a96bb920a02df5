package dev.nuvola.events;

/** An event as read from Kafka: its CloudEvents attributes, its key and the record itself. */
public record Envelope<T extends Record>(CloudEvent meta, String key, T payload) {
}
