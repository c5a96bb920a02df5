package dev.nuvola.events;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * JSON for the contract's records. Strict where a wrong value would mislead a sizing decision
 * (required fields, integer MiB, ISO timestamps), lenient where it helps evolution (unknown fields
 * are ignored, so a newer producer can add fields without breaking older consumers).
 */
public final class EventCodec {
    /** Larger values are refused before parsing: no event of the contract comes near this. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, c -> {
                c.setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
                c.setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
                c.setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
            })
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventCodec() {
    }

    public static byte[] encode(Record event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    /** Parses and validates; any fault is an {@link InvalidEventException} naming the field. */
    public static <T extends Record> T decode(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException(null, "the record has no value");
        }
        if (json.length > MAX_BYTES) {
            throw new InvalidEventException(null, "the value is " + json.length + " bytes, more than the "
                    + MAX_BYTES + " an event may have");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(null, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException(null, "not valid JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException(null, "must be a JSON object");
        }
        requireFields(tree, type, "");
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidEventException invalid) {
                String where = path(e);
                if (where == null || invalid.field() == null) {
                    throw invalid;
                }
                throw new InvalidEventException(where + "." + invalid.field(), invalid.reason(), invalid);
            }
            throw new InvalidEventException(path(e), e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            throw new InvalidEventException(path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(null, e.getOriginalMessage(), e);
        }
    }

    /** What the field check needs to know of one record component, worked out once per record class. */
    private record Field(String name, boolean optional, boolean instant, Class<?> nestedRecord,
                         Class<?> elementRecord) {
        static Field of(RecordComponent component) {
            Class<?> type = component.getType();
            return new Field(component.getName(), component.isAnnotationPresent(OptionalField.class),
                    type == Instant.class, type.isRecord() ? type : null, recordElementType(component));
        }
    }

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> Arrays.stream(t.getRecordComponents()).map(Field::of).toList());
    }

    /**
     * Jackson would quietly turn a missing number into 0; this names the missing field instead, and
     * refuses numeric timestamps, whose unit (seconds or milliseconds) cannot be told.
     */
    private static void requireFields(JsonNode node, Class<?> type, String prefix) {
        for (Field f : fields(type)) {
            JsonNode value = node.get(f.name());
            if (value == null || value.isNull()) {
                if (!f.optional()) {
                    throw new InvalidEventException(prefix + f.name(), "is required");
                }
                continue;
            }
            if (f.instant()) {
                checkTimestamp(prefix + f.name(), value);
            }
            if (f.nestedRecord() != null) {
                if (!value.isObject()) {
                    throw new InvalidEventException(prefix + f.name(), "must be a JSON object");
                }
                requireFields(value, f.nestedRecord(), prefix + f.name() + ".");
            }
            if (f.elementRecord() != null && value.isArray()) {
                int i = 0;
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); i++) {
                    JsonNode item = it.next();
                    String at = prefix + f.name() + "[" + i + "]";
                    if (!item.isObject()) {
                        throw new InvalidEventException(at, "must be a JSON object");
                    }
                    requireFields(item, f.elementRecord(), at + ".");
                }
            }
        }
    }

    private static void checkTimestamp(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw new InvalidEventException(field, "must be an ISO-8601 timestamp string such as 2026-11-26T15:00:00Z");
        }
        try {
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.textValue());
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field, "must be an ISO-8601 timestamp string such as 2026-11-26T15:00:00Z, got '"
                    + value.textValue() + "'");
        }
    }

    private static Class<?> recordElementType(RecordComponent component) {
        if (!Collection.class.isAssignableFrom(component.getType())) {
            return null;
        }
        Type generic = component.getGenericType();
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
