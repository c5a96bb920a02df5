package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A newer producer may add fields anywhere; older consumers must read the event unchanged. */
class ForwardCompatibilityTest {

    static Stream<Arguments> examples() {
        return RoundTripTest.examples();
    }

    /** Adds unknown fields of every JSON kind to {@code node} and to every object nested in it. */
    static int addUnknownFieldsEverywhere(JsonNode node) {
        int objects = 0;
        if (node.isObject()) {
            List<JsonNode> children = new ArrayList<>();
            node.elements().forEachRemaining(children::add);
            ObjectNode object = (ObjectNode) node;
            object.put("zoneV2", "eu-west-3");
            object.put("memoryHugePagesMiB", 2048);
            object.put("weight", 0.5);
            object.put("experimental", true);
            object.putNull("annotations");
            object.putArray("labels").add("a").add(1).addObject().put("k", "v");
            object.putObject("numa").put("nodes", 2).putObject("deeper").putArray("x").add(3);
            objects++;
            for (JsonNode child : children) {
                objects += addUnknownFieldsEverywhere(child);
            }
        } else if (node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                objects += addUnknownFieldsEverywhere(it.next());
            }
        }
        return objects;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void unknownTopLevelAndNestedFieldsAreIgnored(EventType type, String label, Record example) {
        ObjectNode tree = Json.tree(example);
        int objects = addUnknownFieldsEverywhere(tree);
        assertThat(objects).isGreaterThanOrEqualTo(1);
        assertThat(EventCodec.decode(Json.bytes(tree), type.recordClass())).isEqualTo(example);

        ProducerRecord<String, byte[]> sent = EventRecords.create(Examples.keyOf(example), example, "test");
        var received = Json.consumed(sent.topic(), sent.key(), Json.bytes(tree), sent.headers());
        assertThat(EventRecords.read(received, type.recordClass()).payload()).isEqualTo(example);
    }

    @Test
    void nestedObjectsAreReallyReached() {
        // HostStatus.guests[], ResizeCommand.basedOn, ResizeResult.before/after, MigrationRequest.requiredSize.
        assertThat(addUnknownFieldsEverywhere(Json.tree(Examples.hostStatus()))).isEqualTo(3);
        assertThat(addUnknownFieldsEverywhere(Json.tree(Examples.resizeCommand()))).isEqualTo(2);
        assertThat(addUnknownFieldsEverywhere(Json.tree(Examples.resizeResult()))).isEqualTo(3);
        assertThat(addUnknownFieldsEverywhere(Json.tree(Examples.migrationRequest()))).isEqualTo(2);
        assertThat(addUnknownFieldsEverywhere(Json.tree(Examples.migrationCommand()))).isEqualTo(2);
    }

    @Test
    void fieldOrderDoesNotMatter() {
        ObjectNode tree = Json.tree(Examples.guestPolicy());
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        ObjectNode reversed = Json.PLAIN.createObjectNode();
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.set(names.get(i), tree.get(names.get(i)));
        }
        assertThat(EventCodec.decode(Json.bytes(reversed), GuestPolicy.class)).isEqualTo(Examples.guestPolicy());
    }

    @Test
    void explicitNullForAnOptionalFieldMeansAbsent() {
        byte[] json = Json.edited(Examples.guestMetricsMinimal(), t -> {
            t.putNull("balloonMiB");
            t.putNull("memoryPressure");
        });
        assertThat(EventCodec.decode(json, GuestMetrics.class)).isEqualTo(Examples.guestMetricsMinimal());
    }
}
