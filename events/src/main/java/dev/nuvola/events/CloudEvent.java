package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

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

    /**
     * One pass over the headers; the last value of a repeated header wins, as with {@link Headers#lastHeader}.
     * The type, source and spec version repeat from record to record, so their text is decoded once.
     */
    public static CloudEvent readFrom(Headers headers) {
        Raw raw = Raw.of(headers);
        String version = likeLast(SPEC_VERSION, raw.specVersion, LAST_SPEC_VERSION);
        if (!"1.0".equals(version)) {
            throw new InvalidEventException(SPEC_VERSION, "must be 1.0, got " + version);
        }
        if (raw.time == null) {
            throw new InvalidEventException(TIME, "header is missing");
        }
        // In the order they were always checked in, so a record with two faults is refused for the same one.
        String eventId = text(ID, raw.id);
        String eventType = likeLast(TYPE, raw.type, LAST_TYPE);
        String eventSource = repeatedText(SOURCE, raw.source);
        Instant at;
        try {
            at = Timestamps.parse(raw.time, 0, raw.time.length);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(TIME, "must be an RFC 3339 timestamp, got '" + text(TIME, raw.time) + "'");
        }
        return new CloudEvent(eventId, eventType, eventSource, at);
    }

    /**
     * Whether {@link #readFrom} would accept these headers as an event of {@code expectedType}, judged on their bytes
     * without making the attributes: true only when it certainly would. False says nothing: the caller then reads the
     * headers in full, which accepts them or says why not. For a consumer that needs only the payload.
     */
    static boolean surelyValid(Headers headers, byte[] expectedType) {
        Raw raw = Raw.of(headers);
        byte[] time = raw.time;
        if (!Arrays.equals(raw.specVersion, SPEC_VERSION_1_0) || !Arrays.equals(raw.type, expectedType)
                || !surelyAnId(raw.id) || !surelyAnId(raw.source) || time == null) {
            return false;
        }
        try {
            Timestamps.parse(time, 0, time.length);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The attributes' values as they are on the wire; the last of a repeated header, as with {@link Headers#lastHeader}. */
    private record Raw(byte[] specVersion, byte[] id, byte[] type, byte[] source, byte[] time) {
        static Raw of(Headers headers) {
            byte[] specVersion = null;
            byte[] id = null;
            byte[] type = null;
            byte[] source = null;
            byte[] time = null;
            for (Header header : headers) {
                String key = header.key();
                // Only two of the keys have the same length: the length picks the one to compare with.
                switch (key.length()) {
                    case 14 -> specVersion = SPEC_VERSION.equals(key) ? header.value() : specVersion;
                    case 5 -> id = ID.equals(key) ? header.value() : id;
                    case 7 -> {
                        if (TYPE.equals(key)) {
                            type = header.value();
                        } else if (TIME.equals(key)) {
                            time = header.value();
                        }
                    }
                    case 9 -> source = SOURCE.equals(key) ? header.value() : source;
                    default -> {
                    }
                }
            }
            return new Raw(specVersion, id, type, source, time);
        }
    }

    private static final byte[] SPEC_VERSION_1_0 = "1.0".getBytes(StandardCharsets.UTF_8);

    /**
     * What {@link Check#id} accepts, for ASCII: at most 255 chars, not all whitespace ({@link String#isBlank}'s, which
     * for ASCII is 9-13, 28-32). Anything with a byte beyond ASCII is left to the full read.
     */
    private static boolean surelyAnId(byte[] value) {
        if (value == null || value.length == 0 || value.length > 255) {
            return false;
        }
        int i = 0;
        while (i < value.length && (value[i] == ' ' || value[i] >= 9 && value[i] <= 13 || value[i] >= 28 && value[i] <= 31)) {
            i++;
        }
        if (i == value.length) {
            return false; // blank
        }
        for (; i < value.length; i++) {
            if (value[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static final int REPEATED_MAX = 4096;
    private static final Map<Bytes, String> REPEATED = new ConcurrentHashMap<>();

    private record Bytes(byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }
    }

    /**
     * The last text of a header and its bytes. A topic's records carry the same spec version and mostly the same
     * type one after another: comparing with the last one costs less than hashing the bytes for the map. (Not the
     * source: each agent has its own, and a partition's records come from many hosts.) Replaced whole, so a reader on
     * another thread sees either the old pair or the new one.
     */
    private record Last(byte[] bytes, String text) {
    }

    private static final AtomicReference<Last> LAST_SPEC_VERSION = new AtomicReference<>(new Last(new byte[0], ""));
    private static final AtomicReference<Last> LAST_TYPE = new AtomicReference<>(new Last(new byte[0], ""));

    private static String likeLast(String key, byte[] value, AtomicReference<Last> lastOfKey) {
        Last last = lastOfKey.get();
        if (value != null && Arrays.equals(last.bytes, value)) {
            return last.text;
        }
        String text = repeatedText(key, value);
        lastOfKey.set(new Last(value.clone(), text));
        return text;
    }

    private static String repeatedText(String key, byte[] value) {
        if (value == null) {
            return text(key, null);
        }
        String known = REPEATED.get(new Bytes(value));
        if (known != null) {
            return known;
        }
        String decoded = text(key, value);
        if (REPEATED.size() < REPEATED_MAX) {
            REPEATED.put(new Bytes(value.clone()), decoded);
        }
        return decoded;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String key, byte[] value) {
        if (value == null) {
            throw new InvalidEventException(key, "header is missing");
        }
        return new String(value, StandardCharsets.UTF_8);
    }
}
