package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 attributes in Kafka's binary content mode: each attribute is a {@code ce_} header
 * and the record value is the event's JSON. {@code id} is the event id that consumers dedupe on.
 */
public record CloudEvent(String id, String type, String source, Instant time) {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    public CloudEvent {
        Check.id(ID, id);
        Check.id(TYPE, type);
        Check.id(SOURCE, source);
        Check.present(TIME, time);
    }

    /** A new event's attributes: a random id, now. */
    public static CloudEvent create(EventType type, String source) {
        return new CloudEvent(UUID.randomUUID().toString(), type.ceType(), source, Instant.now());
    }

    /** Replaces any ce_ headers already there, so a re-sent record never carries two ids. */
    public Headers writeTo(Headers headers) {
        put(headers, SPEC_VERSION, "1.0");
        put(headers, ID, id);
        put(headers, TYPE, type);
        put(headers, SOURCE, source);
        put(headers, TIME, time.toString());
        put(headers, CONTENT_TYPE, "application/json");
        return headers;
    }

    public static CloudEvent readFrom(Headers headers) {
        String specVersion = text(headers, SPEC_VERSION);
        if (!"1.0".equals(specVersion)) {
            throw new InvalidEventException(SPEC_VERSION, "must be 1.0, got " + specVersion);
        }
        String time = text(headers, TIME);
        try {
            return new CloudEvent(text(headers, ID), text(headers, TYPE), text(headers, SOURCE), Timestamps.parse(time));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(TIME, "must be an RFC 3339 timestamp, got '" + time + "'");
        }
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        if (header == null || header.value() == null) {
            throw new InvalidEventException(key, "header is missing");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
