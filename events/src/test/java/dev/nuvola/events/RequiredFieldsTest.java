package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated from the records themselves: for every event type and example, every component that is
 * not {@link OptionalField} (nested records and list elements included) is removed, then set to null,
 * and the codec must refuse the event naming exactly that field.
 */
class RequiredFieldsTest {

    record FieldPath(String path, boolean optional) {
    }

    /** The JSON paths of every component of {@code type}, descending into records and lists of records. */
    static List<FieldPath> paths(Class<?> type, JsonNode json, String prefix) {
        List<FieldPath> paths = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix + c.getName();
            boolean optional = c.isAnnotationPresent(OptionalField.class);
            JsonNode value = json.get(c.getName());
            if (value == null) {
                continue; // an absent optional field: nothing to remove
            }
            paths.add(new FieldPath(path, optional));
            if (c.getType().isRecord()) {
                paths.addAll(paths(c.getType(), value, path + "."));
            }
            if (List.class.isAssignableFrom(c.getType())
                    && c.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                for (int i = 0; i < value.size(); i++) {
                    paths.addAll(paths(element, value.get(i), path + "[" + i + "]."));
                }
            }
        }
        return paths;
    }

    @TestFactory
    List<DynamicNode> everyRequiredFieldMissingOrNullIsRefusedByName() {
        List<DynamicNode> byType = new ArrayList<>();
        for (Map.Entry<EventType, List<Record>> entry : Examples.all().entrySet()) {
            EventType type = entry.getKey();
            List<DynamicNode> tests = new ArrayList<>();
            int n = 0;
            for (Record example : entry.getValue()) {
                String label = "example " + (n++);
                ObjectNode tree = Json.tree(example);
                for (FieldPath field : paths(type.recordClass(), tree, "")) {
                    if (field.optional()) {
                        tests.add(DynamicTest.dynamicTest(label + ": optional " + field.path() + " removed",
                                () -> optionalRemoved(type, example, field.path())));
                    } else {
                        tests.add(DynamicTest.dynamicTest(label + ": " + field.path() + " missing",
                                () -> refused(type, mutate(example, field.path(), null), field.path(), "is required")));
                        tests.add(DynamicTest.dynamicTest(label + ": " + field.path() + " null",
                                () -> refused(type, mutate(example, field.path(), NullNode.instance), field.path(), "is required")));
                    }
                }
            }
            byType.add(DynamicContainer.dynamicContainer(type.name(), tests));
        }
        return byType;
    }

    private static byte[] mutate(Record example, String path, JsonNode replacement) {
        ObjectNode tree = Json.tree(example);
        if (replacement == null) {
            Json.remove(tree, path);
        } else {
            Json.set(tree, path, replacement);
        }
        return Json.bytes(tree);
    }

    static void refused(EventType type, byte[] json, String field, String messagePart) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class,
                () -> EventCodec.decode(json, type.recordClass()));
        assertThat(e).as("decoding must fail for %s", field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field + ": ").contains(messagePart);
    }

    /** Leaving out an optional field is fine, unless a domain rule needs it here: then it is named. */
    private static void optionalRemoved(EventType type, Record example, String path) throws Exception {
        byte[] json = mutate(example, path, null);
        try {
            Record decoded = EventCodec.decode(json, type.recordClass());
            RecordComponent component = null;
            for (RecordComponent c : type.recordClass().getRecordComponents()) {
                if (c.getName().equals(path)) {
                    component = c;
                }
            }
            assertThat(component).isNotNull();
            assertThat(component.getAccessor().invoke(decoded)).isNull();
        } catch (InvalidEventException e) {
            // e.g. "targetMemoryMiB: a resize needs targetMemoryMiB or targetVcpus" when targetVcpus was the only one
            assertThat(e.getMessage()).as("a domain rule refusing the removal names the removed field")
                    .startsWith(e.field() + ": ").contains(path);
        }
    }

    @Test
    void theGeneratorReachesNestedFields() {
        List<String> hostStatus = paths(HostStatus.class, Json.tree(Examples.hostStatus()), "").stream()
                .map(FieldPath::path).toList();
        assertThat(hostStatus).contains("guests", "guests[0].guestId", "guests[1].maxVcpus", "capabilities");
        List<String> request = paths(MigrationRequest.class, Json.tree(Examples.migrationRequest()), "").stream()
                .map(FieldPath::path).toList();
        assertThat(request).contains("requiredSize.memoryMiB", "requiredSize.vcpus");
        List<String> command = paths(ResizeCommand.class, Json.tree(Examples.resizeCommand()), "").stream()
                .map(FieldPath::path).toList();
        assertThat(command).contains("basedOn.sampledAt", "basedOn.cpuUsage");
    }

    @Test
    void examplesFromTheBrief() {
        refused(EventType.MIGRATION_REQUEST, mutate(Examples.migrationRequest(), "requiredSize.memoryMiB", null),
                "requiredSize.memoryMiB", "is required");
        refused(EventType.HOST_STATUS, mutate(Examples.hostStatus(), "guests[0].guestId", null),
                "guests[0].guestId", "is required");
        refused(EventType.RESIZE_RESULT, mutate(Examples.resizeResult(), "after.vcpus", null),
                "after.vcpus", "is required");
        assertThatThrownBy(() -> EventCodec.decode(mutate(Examples.guestMetrics(), "memoryUsedMiB", null), GuestMetrics.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("memoryUsedMiB: is required");
    }
}
