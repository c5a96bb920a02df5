package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
    private static final String SOURCE = "nuvola://host-agent/host-a";

    static Stream<Arguments> examples() {
        List<Arguments> args = new ArrayList<>();
        for (Map.Entry<EventType, List<Record>> e : Examples.all().entrySet()) {
            int i = 0;
            for (Record example : e.getValue()) {
                args.add(Arguments.of(e.getKey(), (i++ == 0 ? "full " : "variant ") + example.getClass().getSimpleName(), example));
            }
        }
        return args.stream();
    }

    @Test
    void everyEventTypeHasExamplesWithOptionalFieldsPresentAndAbsent() {
        Map<EventType, List<Record>> all = Examples.all();
        assertThat(all.keySet()).containsExactlyInAnyOrder(EventType.values());
        for (EventType type : EventType.values()) {
            for (Record example : all.get(type)) {
                assertThat(example).isInstanceOf(type.recordClass());
            }
            Set<String> presentSomewhere = new HashSet<>();
            Set<String> absentSomewhere = new HashSet<>();
            for (Record example : all.get(type)) {
                ObjectNode json = Json.tree(example);
                for (RecordComponent c : type.recordClass().getRecordComponents()) {
                    if (c.isAnnotationPresent(OptionalField.class)) {
                        (json.has(c.getName()) ? presentSomewhere : absentSomewhere).add(c.getName());
                    }
                }
            }
            Set<String> optional = new HashSet<>();
            for (RecordComponent c : type.recordClass().getRecordComponents()) {
                if (c.isAnnotationPresent(OptionalField.class)) {
                    optional.add(c.getName());
                }
            }
            assertThat(presentSomewhere).as("optional fields present in some %s example", type).isEqualTo(optional);
            if (!optional.isEmpty()) {
                assertThat(absentSomewhere).as("optional fields absent in some %s example", type).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void codecRoundTrip(EventType type, String label, Record example) {
        byte[] json = EventCodec.encode(example);
        assertThat(EventCodec.decode(json, type.recordClass())).isEqualTo(example);
        // Re-encoding what a decode produced gives the same JSON (capabilities are a set: order aside,
        // see ContractGapsTest for the byte-level order).
        assertThat(normalised(EventCodec.encode(EventCodec.decode(json, type.recordClass()))))
                .isEqualTo(normalised(json));
    }

    private static ObjectNode normalised(byte[] json) {
        ObjectNode tree = Json.tree(json);
        if (tree.has("capabilities")) {
            List<String> caps = new ArrayList<>();
            tree.get("capabilities").forEach(c -> caps.add(c.textValue()));
            caps.sort(null);
            tree.putArray("capabilities").addAll(caps.stream().map(tree::textNode).toList());
        }
        return tree;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void jsonHasOneFieldPerComponentAndOmitsAbsentOptionals(EventType type, String label, Record example) throws Exception {
        ObjectNode json = Json.tree(example);
        Set<String> expected = new HashSet<>();
        for (RecordComponent c : type.recordClass().getRecordComponents()) {
            if (c.getAccessor().invoke(example) != null) {
                expected.add(c.getName());
            }
        }
        Set<String> actual = new HashSet<>();
        json.fieldNames().forEachRemaining(actual::add);
        assertThat(actual).isEqualTo(expected);
        for (RecordComponent c : type.recordClass().getRecordComponents()) {
            if (c.getType() == Instant.class && json.has(c.getName())) {
                assertThat(json.get(c.getName()).isTextual()).as("%s is an ISO-8601 string", c.getName()).isTrue();
                assertThat(Instant.parse(json.get(c.getName()).textValue())).isEqualTo(c.getAccessor().invoke(example));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void kafkaRecordRoundTrip(EventType type, String label, Record example) {
        String key = Examples.keyOf(example);
        Instant before = Instant.now();
        ProducerRecord<String, byte[]> sent = EventRecords.create(key, example, SOURCE);
        Instant after = Instant.now();

        assertThat(sent.topic()).isEqualTo(type.topic());
        assertThat(sent.key()).isEqualTo(key);
        assertThat(sent.partition()).isNull();
        assertThat(sent.value()).isEqualTo(EventCodec.encode(example));
        assertThat(Json.header(sent.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(Json.header(sent.headers(), "ce_type")).isEqualTo(type.ceType());
        assertThat(Json.header(sent.headers(), "ce_source")).isEqualTo(SOURCE);
        assertThat(Json.header(sent.headers(), "content-type")).isEqualTo("application/json");
        String id = Json.header(sent.headers(), "ce_id");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        Instant time = Instant.parse(Json.header(sent.headers(), "ce_time"));
        assertThat(time).isBetween(before, after);
        for (String h : List.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type")) {
            assertThat(sent.headers().headers(h)).as(h).hasSize(1);
        }

        ConsumerRecord<String, byte[]> received = Json.consumed(sent);
        Envelope<? extends Record> envelope = EventRecords.read(received, type.recordClass());
        assertThat(envelope.payload()).isEqualTo(example);
        assertThat(envelope.key()).isEqualTo(key);
        assertThat(envelope.meta()).isEqualTo(new CloudEvent(id, type.ceType(), SOURCE, time));
        assertThat(received.topic()).isEqualTo(type.topic());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void readToleratesOtherHeaders(EventType type, String label, Record example) {
        ProducerRecord<String, byte[]> sent = EventRecords.create(Examples.keyOf(example), example, SOURCE);
        sent.headers().add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        sent.headers().add("ce_nuvolaextension", "anything".getBytes(StandardCharsets.UTF_8));
        assertThat(EventRecords.read(Json.consumed(sent), type.recordClass()).payload()).isEqualTo(example);
    }

    @Test
    void everyRecordGetsAFreshEventId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(Json.header(EventRecords.create("xmpp-01", Examples.guestMetrics(), SOURCE).headers(), "ce_id"));
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void writingHeadersTwiceLeavesOneOfEach() {
        RecordHeaders headers = new RecordHeaders();
        CloudEvent first = CloudEvent.create(EventType.RESIZE_COMMAND, SOURCE);
        CloudEvent second = CloudEvent.create(EventType.RESIZE_COMMAND, "nuvola://scaler");
        first.writeTo(headers);
        second.writeTo(headers);
        for (String h : List.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type")) {
            assertThat(headers.headers(h)).as(h).hasSize(1);
        }
        assertThat(CloudEvent.readFrom(headers)).isEqualTo(second);
    }

    @Test
    void nanosecondTimestampsSurvive() {
        GuestMetrics m = new GuestMetrics("g", "h", Instant.parse("2026-11-26T15:00:00.123456789Z"), 1024, 512, 512, 1,
                0.25, null, null);
        assertThat(EventCodec.decode(EventCodec.encode(m), GuestMetrics.class)).isEqualTo(m);
    }

    @Test
    void offsetTimestampsAreReadAsTheSameInstant() {
        byte[] json = Json.edited(Examples.guestMetrics(), t -> t.put("sampledAt", "2026-11-26T16:00:00+01:00"));
        assertThat(EventCodec.decode(json, GuestMetrics.class).sampledAt()).isEqualTo(Examples.T0);
    }

    @Test
    void eventTypesTopicsAndNamesAreTheContract() {
        assertThat(EventType.values()).hasSize(8);
        assertThat(Stream.of(EventType.values()).map(EventType::topic).toList()).isEqualTo(Topics.ALL);
        assertThat(Stream.of(EventType.values()).map(EventType::ceType).distinct()).hasSize(8);
        assertThat(Stream.of(EventType.values()).map(EventType::ceType))
                .allMatch(t -> t.matches("dev\\.nuvola(\\.[a-z]+)+\\.v1"));
        assertThat(Topics.ALL).containsExactly("nuvola.guest-metrics", "nuvola.host-status", "nuvola.guest-policies",
                "nuvola.resize-commands", "nuvola.resize-results", "nuvola.migration-requests",
                "nuvola.migration-commands", "nuvola.migration-events");
        assertThat(Topics.COMPACTED).containsExactlyInAnyOrder("nuvola.host-status", "nuvola.guest-policies");
        assertThat(Topics.dlq(Topics.RESIZE_COMMANDS)).isEqualTo("nuvola.resize-commands.dlq");
        assertThat(EventType.RESIZE_COMMAND.ceType()).isEqualTo("dev.nuvola.resize.command.v1");
        for (EventType type : EventType.values()) {
            assertThat(EventType.ofCeType(type.ceType())).isSameAs(type);
            assertThat(EventType.of(type.recordClass())).isSameAs(type);
        }
    }
}
