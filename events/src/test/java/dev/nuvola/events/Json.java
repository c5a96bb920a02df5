package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Test-side JSON and Kafka helpers: an independent plain ObjectMapper, not the codec's. */
final class Json {
    static final ObjectMapper PLAIN = new ObjectMapper();

    private Json() {
    }

    static ObjectNode tree(Record event) {
        return tree(EventCodec.encode(event));
    }

    static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) PLAIN.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static ObjectNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return PLAIN.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** The encoded event with {@code edit} applied to a copy of its JSON tree. */
    static byte[] edited(Record event, Consumer<ObjectNode> edit) {
        ObjectNode tree = tree(event);
        edit.accept(tree);
        return bytes(tree);
    }

    /** Splits "a.b[0].c" into "a", "b", "[0]", "c". */
    static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                steps.add(part);
            } else {
                steps.add(part.substring(0, bracket));
                for (String index : part.substring(bracket).split("(?=\\[)")) {
                    steps.add(index);
                }
            }
        }
        return steps;
    }

    /** The container (object or array) that holds the last step of {@code path}. */
    static JsonNode parentOf(JsonNode root, String path) {
        List<String> steps = steps(path);
        JsonNode node = root;
        for (String step : steps.subList(0, steps.size() - 1)) {
            node = step.startsWith("[") ? node.get(index(step)) : node.get(step);
        }
        return node;
    }

    static String lastStep(String path) {
        List<String> steps = steps(path);
        return steps.get(steps.size() - 1);
    }

    static void remove(JsonNode root, String path) {
        JsonNode parent = parentOf(root, path);
        String last = lastStep(path);
        if (last.startsWith("[")) {
            ((ArrayNode) parent).remove(index(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
    }

    static void set(JsonNode root, String path, JsonNode value) {
        JsonNode parent = parentOf(root, path);
        String last = lastStep(path);
        if (last.startsWith("[")) {
            ((ArrayNode) parent).set(index(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static int index(String step) {
        return Integer.parseInt(step.substring(1, step.length() - 1));
    }

    /** What a consumer would receive for {@code sent}: same topic, key, value and headers. */
    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        return consumed(sent.topic(), sent.key(), sent.value(), sent.headers());
    }

    /** {@code sent} as consumed, its headers first changed by {@code edit}. */
    static ConsumerRecord<String, byte[]> consumedWith(ProducerRecord<String, byte[]> sent,
                                                       java.util.function.Consumer<Headers> edit) {
        RecordHeaders headers = new RecordHeaders();
        sent.headers().forEach(headers::add);
        edit.accept(headers);
        return consumed(sent.topic(), sent.key(), sent.value(), headers);
    }

    static ConsumerRecord<String, byte[]> consumed(String topic, String key, byte[] value, Headers headers) {
        RecordHeaders copy = new RecordHeaders();
        headers.forEach(copy::add);
        return new ConsumerRecord<>(topic, 0, 42L, System.currentTimeMillis(), TimestampType.CREATE_TIME,
                key == null ? -1 : key.getBytes(StandardCharsets.UTF_8).length, value == null ? -1 : value.length, key, value, copy,
                Optional.empty());
    }

    static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
