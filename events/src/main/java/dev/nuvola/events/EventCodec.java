package dev.nuvola.events;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

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
            .addModule(new SimpleModule("nuvola-strict-timestamps").addDeserializer(Instant.class, new TimestampDeserializer()))
            .annotationIntrospector(new RequiredComponents())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .withCoercionConfig(LogicalType.Textual, c -> {
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            })
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private static final String REQUIRED = "is required";
    private static final String TIMESTAMP = "must be an ISO-8601 timestamp string such as 2026-11-26T15:00:00Z";

    private EventCodec() {
    }

    public static byte[] encode(Record event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses and validates in one pass over the bytes; any fault is an {@link InvalidEventException}
     * naming the field. Required fields, units and timestamps are checked by Jackson while it binds
     * (see {@link RequiredComponents} and {@link TimestampDeserializer}), the domain rules by the
     * records' constructors. {@link GuestMetrics}, read tens of thousands of times a second by the scaler,
     * first goes through {@link GuestMetricsReader}, which accepts only what databind accepts, with an equal
     * record, and leaves everything else (all refusals included) to databind.
     */
    public static <T extends Record> T decode(byte[] json, Class<T> type) {
        if (type == GuestMetrics.class && json != null && json.length <= MAX_BYTES) {
            GuestMetrics fast = GuestMetricsReader.read(json);
            if (fast != null) {
                return type.cast(fast);
            }
        }
        return decodeWithDatabind(json, type);
    }

    /** {@link #decode} without the GuestMetrics fast path: what that path must match. */
    static <T extends Record> T decodeWithDatabind(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException(null, "the record has no value");
        }
        if (json.length > MAX_BYTES) {
            throw new InvalidEventException(null, "the value is " + json.length + " bytes, more than the "
                    + MAX_BYTES + " an event may have");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidEventException(null, "must be a JSON object");
            }
            return value;
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidEventException invalid) {
                String where = path(e);
                if (where == null || invalid.field() == null) {
                    throw invalid;
                }
                throw new InvalidEventException(where + "." + invalid.field(), invalid.reason(), invalid);
            }
            throw new InvalidEventException(path(e), e.getOriginalMessage(), e);
        } catch (InvalidNullException e) {
            throw new InvalidEventException(withProperty(path(e), e.getPropertyName().getSimpleName()), REQUIRED, e);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty() && e.getTargetType() == type) {
                throw notAnObject(json, e);
            }
            throw mismatch(e);
        } catch (JsonMappingException e) {
            throw new InvalidEventException(path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(null, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException(null, "not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The value as a whole is not an object: say whether it is not JSON at all (only bad input pays for this). */
    private static InvalidEventException notAnObject(byte[] json, MismatchedInputException e) {
        if (e.getOriginalMessage().startsWith("Trailing token")) {
            return new InvalidEventException(null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            MAPPER.readTree(json);
        } catch (IOException | RuntimeException notJson) {
            return new InvalidEventException(null, "not valid JSON: " + (notJson instanceof JsonProcessingException p
                    ? p.getOriginalMessage() : notJson.getMessage()), e);
        }
        return new InvalidEventException(null, "must be a JSON object", e);
    }

    private static InvalidEventException mismatch(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        String where = path(e);
        if (message.startsWith(MISSING_CREATOR_PROPERTY)) {
            int end = message.indexOf('\'', MISSING_CREATOR_PROPERTY.length());
            return new InvalidEventException(withProperty(where, message.substring(MISSING_CREATOR_PROPERTY.length(), end)),
                    REQUIRED, e);
        }
        if (message.startsWith(TIMESTAMP) || message.startsWith("is required")) {
            return new InvalidEventException(where, message, e);
        }
        if (e.getTargetType() != null && e.getTargetType().isRecord()) {
            return new InvalidEventException(where, "must be a JSON object", e);
        }
        if (e.getTargetType() != null && e.getTargetType().isPrimitive() && message.contains("null")) {
            return new InvalidEventException(where, REQUIRED, e);
        }
        return new InvalidEventException(where, message, e);
    }

    private static final String MISSING_CREATOR_PROPERTY = "Missing required creator property '";

    private static String withProperty(String path, String property) {
        if (path == null) {
            return property;
        }
        return path.equals(property) || path.endsWith("." + property) ? path : path + "." + property;
    }

    /**
     * Jackson would quietly turn a missing number into 0; every record component not marked
     * {@link OptionalField} is therefore required, and may not be null, so a missing field is refused by name.
     */
    private static final class RequiredComponents extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasRequiredMarker(AnnotatedMember member) {
            RecordComponent component = component(member);
            if (component == null) {
                return super.hasRequiredMarker(member);
            }
            return !component.isAnnotationPresent(OptionalField.class);
        }

        @Override
        public JsonSetter.Value findSetterInfo(Annotated annotated) {
            if (annotated instanceof AnnotatedMember member) {
                RecordComponent component = component(member);
                if (component != null && !component.isAnnotationPresent(OptionalField.class)) {
                    return JsonSetter.Value.forValueNulls(Nulls.FAIL);
                }
            }
            return super.findSetterInfo(annotated);
        }

        private static RecordComponent component(AnnotatedMember member) {
            Class<?> owner = member.getDeclaringClass();
            if (!owner.isRecord()) {
                return null;
            }
            RecordComponent[] components = owner.getRecordComponents();
            if (member instanceof AnnotatedParameter parameter) {
                return parameter.getOwner().getParameterCount() == components.length ? components[parameter.getIndex()] : null;
            }
            for (RecordComponent c : components) {
                if (c.getName().equals(member.getName())) {
                    return c;
                }
            }
            return null;
        }
    }

    /** Only strings: a number's unit (seconds or milliseconds since the epoch) cannot be told. */
    private static final class TimestampDeserializer extends StdScalarDeserializer<Instant> {
        TimestampDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser.currentToken(), parser, TIMESTAMP);
            }
            String text = parser.getText();
            try {
                return Timestamps.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser.currentToken(), parser,
                        TIMESTAMP + ", got '" + text + "'");
            }
        }
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
