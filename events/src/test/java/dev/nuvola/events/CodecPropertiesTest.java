package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Properties of the codec: valid GuestMetrics survive encode/decode unchanged, and whatever bytes
 * arrive, decode either returns a valid event or throws InvalidEventException, never anything else.
 */
class CodecPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ---- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('-', '.', '_', ':').ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> anyText = Arbitraries.strings().ofMinLength(1).ofMaxLength(255)
                .filter(s -> !s.isBlank());
        return Arbitraries.frequencyOf(Tuple.of(4, plain), Tuple.of(1, anyText));
    }

    Arbitrary<Instant> instants() {
        // 1970 to 2200, to the nanosecond.
        return Combinators.combine(Arbitraries.longs().between(0, 7_258_118_400L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    Arbitrary<Long> mib() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Check.MAX_MIB),
                Arbitraries.of(0L, 1L, 512L, 4096L, Check.MAX_MIB));
    }

    Arbitrary<Double> fraction() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0.0, 1.0).ofScale(17),
                Arbitraries.doubles().between(0.0, 1.0).ofScale(2),
                Arbitraries.of(0.0, -0.0, 1.0, Double.MIN_VALUE, Math.nextDown(1.0), 1e-9, 0.1 + 0.2 - 0.3));
    }

    @Provide
    Arbitrary<GuestMetrics> guestMetrics() {
        Arbitrary<long[]> memory = Combinators.combine(mib(), mib(), mib()).as((a, u, v) -> new long[] {a, u, v});
        return Combinators.combine(ids(), ids(), instants(), memory,
                        Arbitraries.integers().between(0, Check.MAX_VCPUS), fraction(),
                        mib().injectNull(0.3), fraction().injectNull(0.3))
                .as((guest, host, at, mem, vcpus, cpu, balloon, pressure) ->
                        new GuestMetrics(guest, host, at, mem[0], mem[1], mem[2], vcpus, cpu, balloon, pressure));
    }

    @Provide
    Arbitrary<Record> anyExample() {
        List<Record> all = new ArrayList<>();
        Examples.all().values().forEach(all::addAll);
        return Arbitraries.oneOf(Arbitraries.of(all), guestMetrics().map(m -> (Record) m));
    }

    /** JSON values of every kind, including wrong units: fractions, percentages, bytes, negative, epoch times. */
    @Provide
    Arbitrary<JsonNode> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.of(-1L, 0L, 85L, 2147483648000L, 1764169200L, Long.MAX_VALUE, Long.MIN_VALUE).map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(2048.5, -0.5, 85.0, 1e308).map(NODES::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(20).negate(), java.math.BigInteger.TEN.pow(30))
                        .map(NODES::numberNode),
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.of("2048MiB", "", " ", "2026-11-26T15:00:00Z", "1764169200", "ACTIVE", "APPLIED", "0.5",
                        "LIVE_VCPU", "not-a-time").map(NODES::textNode),
                Arbitraries.just(NODES.arrayNode()),
                Arbitraries.just(NODES.objectNode()),
                Arbitraries.strings().ofMaxLength(5).map(s -> (JsonNode) NODES.arrayNode().add(s).addNull()),
                Arbitraries.strings().ofMaxLength(5).map(s -> (JsonNode) NODES.objectNode().put(s, 1)));
    }

    // ---- properties -------------------------------------------------------------------------

    @Property(tries = 1000)
    void guestMetricsRoundTrip(@ForAll("guestMetrics") GuestMetrics metrics) {
        byte[] json = EventCodec.encode(metrics);
        assertThat(EventCodec.decode(json, GuestMetrics.class)).isEqualTo(metrics);
        ObjectNode tree = Json.tree(json);
        assertThat(tree.get("memoryAssignedMiB").isIntegralNumber()).isTrue();
        assertThat(tree.get("sampledAt").isTextual()).isTrue();
        assertThat(tree.has("balloonMiB")).isEqualTo(metrics.balloonMiB() != null);
    }

    @Property(tries = 200)
    void guestMetricsRoundTripThroughKafkaRecords(@ForAll("guestMetrics") GuestMetrics metrics) {
        var sent = EventRecords.create(metrics.guestId(), metrics, "nuvola://host-agent");
        var envelope = EventRecords.read(Json.consumed(sent), GuestMetrics.class);
        assertThat(envelope.payload()).isEqualTo(metrics);
        assertThat(envelope.key()).isEqualTo(metrics.guestId());
    }

    @Property(tries = 500)
    void randomBytesNeverEscapeAsAnotherException(@ForAll byte[] bytes, @ForAll("eventClasses") Class<? extends Record> type) {
        decodeIsValidOrInvalidEvent(bytes, type);
    }

    @Property(tries = 500)
    void randomTextNeverEscapesAsAnotherException(@ForAll String text, @ForAll("eventClasses") Class<? extends Record> type) {
        decodeIsValidOrInvalidEvent(text.getBytes(StandardCharsets.UTF_8), type);
    }

    @Property(tries = 500)
    void removingAnyKeyGivesAValidEventOrTheFieldsName(@ForAll("anyExample") Record example, @ForAll("indexes") int pick) {
        EventType type = EventType.of(example.getClass());
        List<RequiredFieldsTest.FieldPath> paths = RequiredFieldsTest.paths(type.recordClass(), Json.tree(example), "");
        RequiredFieldsTest.FieldPath removed = paths.get(pick % paths.size());
        ObjectNode tree = Json.tree(example);
        Json.remove(tree, removed.path());
        Outcome outcome = decodeIsValidOrInvalidEvent(Json.bytes(tree), type.recordClass());
        if (outcome.event() != null) {
            assertThat(removed.optional()).as("%s is required, yet the event decoded", removed.path()).isTrue();
        } else if (!removed.optional()) {
            assertThat(outcome.refusal().field()).isEqualTo(removed.path());
        }
    }

    @Property(tries = 1000)
    void replacingAnyValueGivesAValidEventOrAnInvalidEventException(@ForAll("anyExample") Record example,
            @ForAll("indexes") int pick, @ForAll("jsonValues") JsonNode value) {
        EventType type = EventType.of(example.getClass());
        List<RequiredFieldsTest.FieldPath> paths = RequiredFieldsTest.paths(type.recordClass(), Json.tree(example), "");
        String path = paths.get(pick % paths.size()).path();
        ObjectNode tree = Json.tree(example);
        Json.set(tree, path, value);
        InvalidEventException e = decodeIsValidOrInvalidEvent(Json.bytes(tree), type.recordClass()).refusal();
        if (e != null && e.field() != null) {
            // The field named is the one changed, or (domain rules) a field of the same record.
            assertThat(e.field().replaceAll("\\[\\d+]", "").replaceAll(".*\\.", ""))
                    .isIn(componentNames(type.recordClass()));
        }
    }

    @Property(tries = 500)
    void corruptingValidJsonNeverEscapesAsAnotherException(@ForAll("anyExample") Record example,
            @ForAll("corruptions") List<Tuple2<Integer, Byte>> corruptions, @ForAll("indexes") int cut) {
        byte[] json = EventCodec.encode(example);
        for (Tuple2<Integer, Byte> c : corruptions) {
            json[c.get1() % json.length] = c.get2();
        }
        Class<? extends Record> type = example.getClass().asSubclass(Record.class);
        decodeIsValidOrInvalidEvent(json, type);
        decodeIsValidOrInvalidEvent(java.util.Arrays.copyOf(json, cut % (json.length + 1)), type);
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<List<Tuple2<Integer, Byte>>> corruptions() {
        Arbitrary<Byte> interesting = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of('"', '{', '}', '[', ']', ',', ':', '-', '.', 'e', '0', '9', ' ', '\\', 'n').map(c -> (byte) c.charValue()));
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), interesting).as(Tuple::of)
                .list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Class<? extends Record>> eventClasses() {
        return Arbitraries.of(EventType.values()).map(EventType::recordClass);
    }

    // ---- the invariant ----------------------------------------------------------------------

    /** Exactly one of the two is set. */
    record Outcome(Record event, InvalidEventException refusal) {
    }

    /**
     * Decode returns an event that is valid (it re-encodes and decodes to itself), or throws
     * InvalidEventException with a message; any other throwable fails the property.
     */
    private static Outcome decodeIsValidOrInvalidEvent(byte[] json, Class<? extends Record> type) {
        Record decoded;
        try {
            decoded = EventCodec.decode(json, type);
        } catch (InvalidEventException e) {
            assertThat(e.getMessage()).isNotBlank();
            return new Outcome(null, e);
        } catch (Throwable other) {
            return fail("decode threw %s instead of InvalidEventException for %s", other,
                    new String(json, StandardCharsets.UTF_8), other);
        }
        assertThat(decoded).isInstanceOf(type);
        assertThat(EventCodec.decode(EventCodec.encode(decoded), type)).isEqualTo(decoded);
        return new Outcome(decoded, null);
    }

    private static List<String> componentNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (var c : type.getRecordComponents()) {
            names.add(c.getName());
            if (c.getType().isRecord()) {
                names.addAll(componentNames(c.getType()));
            }
            if (c.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> e && e.isRecord()) {
                names.addAll(componentNames(e));
            }
        }
        return names;
    }
}
