package dev.nuvola.system;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.EventType;
import dev.nuvola.events.InvalidEventException;
import dev.nuvola.events.Topics;

/**
 * Malformed records made from a valid event: the value broken in each way the contract refuses (not JSON, a
 * field of the wrong JSON type, a required field missing, a quantity in the wrong unit, a value or a header as
 * large as the broker takes) or its CloudEvents headers naming a type that is unknown or not the topic's, or no key. Each
 * candidate is checked against the contract's own reader before it is used: a mutation the reader accepts
 * (an optional field removed) is a good event, not a bad one, and is dropped.
 */
final class PoisonRecords {
    enum Kind { BAD_JSON, WRONG_TYPE, MISSING_FIELD, WRONG_UNIT, HUGE, UNKNOWN_TYPE, NO_KEY }

    /** A malformed record and why it is one. */
    record Poison(Kind kind, ProducerRecord<String, byte[]> record) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The producer's default request limit, which the broker's default message size also allows. */
    static final int MAX_REQUEST = 1 << 20;
    private static final String SOURCE = "/nuvola/system-test/poison";

    private static final List<byte[]> NOT_JSON = List.of(utf8("{not json"), utf8(""), utf8("[]"), utf8("null"),
            utf8("42"), utf8("\"a string\""), utf8("{\"guestId\":"), new byte[] {(byte) 0xC3, (byte) 0x28, 0, 1},
            utf8("{\"a\":1}{\"b\":2}"), utf8("<xml/>"));

    private PoisonRecords() {
    }

    /**
     * Every malformed variant of {@code valid} (an event of {@code type} under {@code key}) that the contract
     * refuses, kinds interleaved; {@code huge} times two fill a whole producer request, by their value or by a
     * header.
     */
    static List<Poison> of(Record valid, String key, int huge) {
        EventType type = EventType.of(valid.getClass());
        ObjectNode json = (ObjectNode) readTree(EventRecords.create(key, valid, SOURCE).value());
        List<List<Poison>> byKind = new ArrayList<>();
        byKind.add(NOT_JSON.stream().map(b -> poison(Kind.BAD_JSON, type, key, b, type.ceType())).toList());
        byKind.add(mutations(json, PoisonRecords::wrongTypes).stream()
                .map(b -> poison(Kind.WRONG_TYPE, type, key, b, type.ceType())).toList());
        List<Poison> missing = new ArrayList<>();
        json.fieldNames().forEachRemaining(field -> {
            ObjectNode without = json.deepCopy();
            without.remove(field);
            missing.add(poison(Kind.MISSING_FIELD, type, key, bytes(without), type.ceType()));
        });
        missing.add(poison(Kind.MISSING_FIELD, type, key, utf8("{}"), type.ceType()));
        byKind.add(missing);
        byKind.add(mutations(json, PoisonRecords::wrongUnits).stream()
                .map(b -> poison(Kind.WRONG_UNIT, type, key, b, type.ceType())).toList());
        List<Poison> large = new ArrayList<>();
        for (int i = 0; i < huge; i++) {
            large.add(poison(Kind.HUGE, type, key, padded(json, type, key), type.ceType()));
            large.add(withPaddingHeader(poison(Kind.HUGE, type, key, NOT_JSON.get(0), type.ceType())));
        }
        byKind.add(large);
        byte[] good = bytes(json);
        List<Poison> types = new ArrayList<>();
        for (String ceType : List.of("dev.nuvola.unknown.v1", "dev.nuvola.guest.metrics.v2", "", otherType(type))) {
            types.add(poison(Kind.UNKNOWN_TYPE, type, key, good, ceType));
        }
        types.add(poison(Kind.UNKNOWN_TYPE, type, key, good, null));
        byKind.add(types);
        List<Poison> unkeyed = new ArrayList<>();
        // The broker itself refuses a record without a key on a compacted topic.
        for (String none : Topics.COMPACTED.contains(type.topic()) ? List.of("", " ") : Arrays.asList(null, "", " ")) {
            unkeyed.add(poison(Kind.NO_KEY, type, none, good, type.ceType()));
        }
        byKind.add(unkeyed);

        List<Poison> all = new ArrayList<>();
        List<Iterator<Poison>> iterators = byKind.stream().map(l -> l.stream().filter(PoisonRecords::refused).iterator())
                .toList();
        boolean more = true;
        while (more) {
            more = false;
            for (Iterator<Poison> it : iterators) {
                if (it.hasNext()) {
                    all.add(it.next());
                    more = true;
                }
            }
        }
        return all;
    }

    /** True when the contract's reader refuses the record, as every consumer's {@code DeadLetters.read} does. */
    static boolean refused(Poison poison) {
        ProducerRecord<String, byte[]> r = poison.record();
        try {
            EventRecords.read(r.headers(), r.key(), r.value(), typeOfTopic(r.topic()));
            return false;
        } catch (InvalidEventException e) {
            return true;
        }
    }

    /** The longest value that, with this key and these headers, still fits one default producer request. */
    static int largestValue(String key, Header[] headers) {
        byte[] k = utf8(key);
        int size = MAX_REQUEST;
        while (AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                k, new byte[size], headers) > MAX_REQUEST) {
            size -= 16;
        }
        return size;
    }

    private static Class<? extends Record> typeOfTopic(String topic) {
        return Arrays.stream(EventType.values()).filter(t -> t.topic().equals(topic)).findFirst().orElseThrow()
                .recordClass();
    }

    private static String otherType(EventType type) {
        return Arrays.stream(EventType.values()).filter(t -> t != type).findFirst().orElseThrow().ceType();
    }

    private static Poison poison(Kind kind, EventType type, String key, byte[] value, String ceType) {
        Headers headers = CloudEvent.create(type, SOURCE).writeTo(new RecordHeaders());
        headers.remove(CloudEvent.TYPE);
        if (ceType != null) {
            headers.add(CloudEvent.TYPE, utf8(ceType));
        }
        return new Poison(kind, new ProducerRecord<>(type.topic(), null, key, value, headers));
    }

    /** The event with an unknown field holding as much padding as one default producer request allows. */
    private static byte[] padded(ObjectNode json, EventType type, String key) {
        Headers headers = CloudEvent.create(type, SOURCE).writeTo(new RecordHeaders());
        int size = largestValue(key, headers.toArray());
        byte[] head = bytes(json);
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        String open = new String(head, 0, head.length - 1, StandardCharsets.UTF_8) + ",\"padding\":\"";
        byte[] o = utf8(open);
        System.arraycopy(o, 0, value, 0, o.length);
        value[size - 2] = '"';
        value[size - 1] = '}';
        return value;
    }

    /** The record with one more header, as large as one default producer request allows. */
    private static Poison withPaddingHeader(Poison poison) {
        ProducerRecord<String, byte[]> r = poison.record();
        byte[] k = utf8(r.key());
        int size = MAX_REQUEST;
        while (true) {
            Headers headers = new RecordHeaders(r.headers().toArray());
            headers.add("x-padding", new byte[size]);
            if (AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                    k, r.value(), headers.toArray()) <= MAX_REQUEST) {
                return new Poison(poison.kind(), new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headers));
            }
            size -= 16;
        }
    }

    /** One copy of the event per field that {@code change} can break, with that field broken. */
    private static List<byte[]> mutations(ObjectNode json, Function<JsonNode, List<JsonNode>> change) {
        List<byte[]> out = new ArrayList<>();
        json.fields().forEachRemaining(e -> {
            for (JsonNode bad : change.apply(e.getValue())) {
                ObjectNode copy = json.deepCopy();
                copy.set(e.getKey(), bad);
                out.add(bytes(copy));
            }
            if (e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(inner -> {
                    for (JsonNode bad : change.apply(inner.getValue())) {
                        ObjectNode copy = json.deepCopy();
                        ((ObjectNode) copy.get(e.getKey())).set(inner.getKey(), bad);
                        out.add(bytes(copy));
                    }
                });
            }
        });
        return out;
    }

    private static List<JsonNode> wrongTypes(JsonNode value) {
        if (value.isTextual()) {
            return List.of(IntNode.valueOf(123), BooleanNode.TRUE);
        }
        if (value.isNumber()) {
            return List.of(TextNode.valueOf(value.asText()), BooleanNode.FALSE);
        }
        if (value.isBoolean()) {
            return List.of(TextNode.valueOf(value.asText()), IntNode.valueOf(1));
        }
        if (value.isObject() || value.isArray()) {
            return List.of(TextNode.valueOf("x"), IntNode.valueOf(7));
        }
        return List.of();
    }

    /** Memory in bytes or fractional MiB, fractions as percentages, timestamps as epoch numbers, ids too long. */
    private static List<JsonNode> wrongUnits(JsonNode value) {
        if (value.isIntegralNumber()) {
            return List.of(DoubleNode.valueOf(value.asLong() + 0.5), LongNode.valueOf(2_147_483_648_000L),
                    TextNode.valueOf(value.asText() + "MiB"), IntNode.valueOf(-1));
        }
        if (value.isFloatingPointNumber()) {
            return List.of(IntNode.valueOf(85), DoubleNode.valueOf(-0.5));
        }
        if (value.isTextual() && value.asText().matches("\\d{4}-\\d\\d-\\d\\dT.*")) {
            return List.of(LongNode.valueOf(1_764_169_200L), LongNode.valueOf(1_764_169_200_000L),
                    TextNode.valueOf("1764169200"), TextNode.valueOf("26/11/2026 15:00"));
        }
        if (value.isTextual() && value.asText().matches("[A-Z_]+")) {
            return List.of(TextNode.valueOf(value.asText().toLowerCase()), IntNode.valueOf(0));
        }
        if (value.isTextual()) {
            return List.of(TextNode.valueOf("x".repeat(256)), TextNode.valueOf(" "));
        }
        return List.of();
    }

    private static JsonNode readTree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
