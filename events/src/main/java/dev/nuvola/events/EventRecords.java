package dev.nuvola.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Kafka records for the contract's events: the right topic, the aggregate id as key, the CloudEvents
 * headers. Reading checks all of it, so a consumer either gets a valid event or an exception whose
 * message is the reason it sends to the DLQ.
 */
public final class EventRecords {
    private EventRecords() {
    }

    /** A new record for {@code event}, keyed by {@code key}, with a fresh event id. */
    public static ProducerRecord<String, byte[]> create(String key, Record event, String source) {
        return create(key, event, CloudEvent.create(EventType.of(event.getClass()), source));
    }

    /**
     * A record with given CloudEvents attributes: for an event sent again after a crash, which must carry
     * the id it had the first time so that consumers see one event, not two.
     */
    public static ProducerRecord<String, byte[]> create(String key, Record event, CloudEvent meta) {
        EventType type = EventType.of(event.getClass());
        if (!type.ceType().equals(meta.type())) {
            throw new IllegalArgumentException("ce_type " + meta.type() + " does not match " + type.ceType());
        }
        Check.id("key", key);
        if (!key.equals(type.keyOf(event))) {
            throw new InvalidEventException("key", "must be the event's aggregate id '" + type.keyOf(event) + "', got '" + key + "'");
        }
        return new ProducerRecord<>(type.topic(), null, key, EventCodec.encode(event),
                meta.writeTo(new RecordHeaders()));
    }

    /** Decodes a consumed record, checking that it is of the expected event type and has a key. */
    public static <T extends Record> Envelope<T> read(ConsumerRecord<String, byte[]> record, Class<T> expected) {
        return read(record.headers(), record.key(), record.value(), expected);
    }

    /**
     * The payload of a consumed record, checked as {@link #read} checks it (same refusals, same reasons), for a
     * consumer that needs no CloudEvents attribute: the headers are checked on their bytes, and read in full only
     * when those leave a doubt.
     */
    public static <T extends Record> T readPayload(ConsumerRecord<String, byte[]> record, Class<T> expected) {
        EventType type = EventType.of(expected);
        if (!CloudEvent.surelyValid(record.headers(), type.ceTypeBytes())) {
            return read(record, expected).payload();
        }
        return keyedPayload(type, record.key(), record.value(), expected);
    }

    public static <T extends Record> Envelope<T> read(org.apache.kafka.common.header.Headers headers, String key,
                                                      byte[] value, Class<T> expected) {
        CloudEvent meta = CloudEvent.readFrom(headers);
        EventType type = EventType.ofCeType(meta.type());
        if (type.recordClass() != expected) {
            throw new InvalidEventException(CloudEvent.TYPE, "expected " + EventType.of(expected).ceType()
                    + " but the record is " + meta.type());
        }
        return new Envelope<>(meta, key, keyedPayload(type, key, value, expected));
    }

    /** The payload, once the headers are known good: there must be a key, and it must be the payload's aggregate id. */
    private static <T extends Record> T keyedPayload(EventType type, String key, byte[] value, Class<T> expected) {
        if (key == null || key.isBlank()) {
            throw new InvalidEventException("key", "every record must be keyed by its aggregate id");
        }
        T payload = EventCodec.decode(value, expected);
        if (!key.equals(type.keyOf(payload))) {
            throw new InvalidEventException("key", "must be the event's aggregate id '" + type.keyOf(payload) + "', got '" + key + "'");
        }
        return payload;
    }
}
