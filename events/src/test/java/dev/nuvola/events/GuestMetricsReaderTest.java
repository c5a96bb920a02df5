package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GuestMetricsReader}, the fast path of {@code EventCodec.decode(bytes, GuestMetrics.class)}, against the
 * databind path it replaces: whatever the bytes, the two accept with equal records or refuse with the same field
 * and reason. The reader leaves every refusal to databind, so the property that matters is that it never accepts
 * what databind refuses nor reads a value differently; the first property also checks that it does accept the
 * plain samples producers send, so the comparison is not vacuous.
 */
class GuestMetricsReaderTest {
    private static final CodecPropertiesTest CODEC = new CodecPropertiesTest();

    /** One JSON member as text: the name unescaped, the value as it goes on the wire. */
    record Member(String name, String value) {
    }

    /** A sample as JSON members in some order, and the whitespace used around tokens. */
    record Document(List<Member> members, List<String> spaces) {
        byte[] bytes() {
            StringBuilder sb = new StringBuilder();
            int w = 0;
            sb.append(space(w++)).append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    sb.append(space(w++)).append(',');
                }
                sb.append(space(w++)).append(quoted(members.get(i).name())).append(space(w++)).append(':')
                        .append(space(w++)).append(members.get(i).value());
            }
            sb.append(space(w++)).append('}').append(space(w));
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** {@code -0} as an integer for a fraction: databind reads 0.0, not -0.0, and the reader leaves it to databind. */
        boolean hasNegativeZeroFraction() {
            return members.stream().anyMatch(m -> (m.name().equals("cpuUsage") || m.name().equals("memoryPressure"))
                    && m.value().equals("-0"));
        }

        private String space(int i) {
            return spaces.get(i % spaces.size());
        }
    }

    // ---- generators -------------------------------------------------------------------------

    /** Printable ASCII ids (what the fast path reads itself), sometimes with characters it leaves to databind. */
    Arbitrary<String> ids() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.isBlank() && plain(s));
        Arbitrary<String> escaped = Arbitraries.strings().withCharRange(' ', '~').withChars('"', '\\', '\u00e9', '\n')
                .ofMinLength(1).ofMaxLength(40).filter(s -> !s.isBlank());
        return Arbitraries.frequencyOf(Tuple.of(8, plain), Tuple.of(1, escaped), Tuple.of(1, CODEC.ids()));
    }

    /** The same instant written the ways RFC 3339 allows: Z or an offset, with or without a fraction. */
    Arbitrary<String> timestamps() {
        Arbitrary<ZoneOffset> offsets = Arbitraries.of(ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHoursMinutes(-5, -30),
                ZoneOffset.ofHours(14));
        Arbitrary<DateTimeFormatter> formats = Arbitraries.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME,
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX"), DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmXXX"));
        return Combinators.combine(CODEC.instants(), offsets, formats).as((at, offset, format) -> format.format(at.atOffset(offset)));
    }

    /** MiB as JSON integers; now and then -0, or a value the domain rules refuse (beyond 64 TiB, negative). */
    Arbitrary<String> mibNumbers() {
        return Arbitraries.frequencyOf(Tuple.of(10, CODEC.mib().map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("-0", "67108865", "-1", "2147483648000")));
    }

    /**
     * Fractions written as Jackson writes them, with up to 22 digits and exponents (the reader's exact and slow
     * conversions), as integers, and now and then out of range.
     */
    Arbitrary<String> fractionNumbers() {
        Arbitrary<String> decimals = Combinators.combine(
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(22),
                Arbitraries.of("", "e0", "E-1", "e+0", "e-3", "e-25")).as((digits, exponent) -> "0." + digits + exponent);
        Arbitrary<String> edges = Arbitraries.of("0", "1", "-0", "-0.0", "1.0", "1e0", "10e-1", "5E-1", "0.5e0",
                "1.00000000000000000001", "0e999", "1.5", "85", "-0.25", "0.5e+1");
        return Arbitraries.frequencyOf(Tuple.of(6, CODEC.fraction().map(String::valueOf)), Tuple.of(3, decimals), Tuple.of(1, edges));
    }

    /** Unknown values of every JSON shape, some with names of known fields inside them (which must not count). */
    Arbitrary<String> unknownValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1.5e+10", "\"\"", "\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\"", "[]", "{}",
                        "[[[]]]", "[1, \"x\", {\"guestId\": null}, [true]]", "{\"guestId\": 5, \"vcpus\": \"x\", \"deeper\": {\"k\": [{}]}}"),
                Arbitraries.integers().map(String::valueOf));
    }

    Arbitrary<String> unknownNames() {
        return Arbitraries.oneOf(Arbitraries.of("GuestId", "guestIdx", "guestI", "memoryUtilisation", "zoneV2", "", " "),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                        .filter(n -> !Arrays.asList(names()).contains(n)));
    }

    Arbitrary<List<String>> spaces() {
        return Arbitraries.of("", " ", "\n", "\t", "\r\n  ").list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Document> documents() {
        Arbitrary<String> mib = mibNumbers();
        Arbitrary<String> optional = Arbitraries.of("absent", "null", "value");
        Arbitrary<List<Member>> unknown = Combinators.combine(unknownNames(), unknownValues()).as(Member::new).list().ofMaxSize(3);
        Arbitrary<List<Member>> known = Combinators.combine(List.of(ids(), ids(), timestamps(), mib, mib, mib,
                Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.integers().between(0, Check.MAX_VCPUS)), Tuple.of(1, Arbitraries.of(-1, 4097)))
                        .map(String::valueOf),
                fractionNumbers(), optional, mib, optional, fractionNumbers())).as(values -> {
                    List<Member> members = new ArrayList<>();
                    String[] names = names();
                    for (int i = 0; i < 8; i++) {
                        members.add(new Member(names[i], i < 3 ? quoted(values.get(i)) : values.get(i)));
                    }
                    addOptional(members, names[8], values.get(8), values.get(9));
                    addOptional(members, names[9], values.get(10), values.get(11));
                    return members;
                });
        return Combinators.combine(known, unknown, Arbitraries.randoms(), spaces()).as((members, extra, random, spaces) -> {
            List<Member> all = new ArrayList<>(members);
            all.addAll(extra);
            Collections.shuffle(all, random);
            return new Document(all, spaces);
        });
    }

    private static void addOptional(List<Member> members, String name, String presence, String value) {
        if (!presence.equals("absent")) {
            members.add(new Member(name, presence.equals("null") ? "null" : value));
        }
    }

    private static String[] names() {
        return new String[] {"guestId", "hostId", "sampledAt", "memoryAssignedMiB", "memoryUsedMiB", "memoryAvailableMiB", "vcpus",
                "cpuUsage", "balloonMiB", "memoryPressure"};
    }

    private static String quoted(String text) {
        try {
            return Json.PLAIN.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    // ---- properties -------------------------------------------------------------------------

    @Property(tries = 2000)
    void wellFormedSamplesReadAlike(@ForAll("documents") Document document) {
        byte[] json = document.bytes();
        Outcome databind = Outcome.of(() -> EventCodec.decodeWithDatabind(json, GuestMetrics.class));
        GuestMetrics fast = GuestMetricsReader.read(json);
        Statistics.collect(databind.event() != null ? "valid" : "refused", fast != null ? "fast path" : "databind");
        if (fast != null) {
            assertThat(fast).isEqualTo(databind.event());
        } else if (databind.event() != null) {
            // Accepted, yet left to databind: only for what the reader does not read by design.
            assertThat(plainIds(databind.event()) && !document.hasNegativeZeroFraction())
                    .as("a plain sample left to databind: %s", new String(json, StandardCharsets.UTF_8)).isFalse();
        }
        assertThat(Outcome.of(() -> EventCodec.decode(json, GuestMetrics.class))).isEqualTo(databind);
    }

    @Property(tries = 2000)
    void mutatedSamplesReadAlike(@ForAll("documents") Document document, @ForAll("mutations") Mutation mutation,
            @ForAll("otherValues") String other, @ForAll Random random) {
        byte[] json = mutation.apply(document, other, random);
        Outcome databind = Outcome.of(() -> EventCodec.decodeWithDatabind(json, GuestMetrics.class));
        GuestMetrics fast = GuestMetricsReader.read(json);
        Statistics.collect(mutation, databind.event() != null ? "valid" : "refused", fast != null ? "fast path" : "databind");
        if (fast != null) {
            assertThat(fast).as("read %s", new String(json, StandardCharsets.UTF_8)).isEqualTo(databind.event());
        }
        assertThat(Outcome.of(() -> EventCodec.decode(json, GuestMetrics.class))).isEqualTo(databind);
    }

    /**
     * The reader's own conversion of 16- to 18-digit decimals (the agents' full-precision fractions), checked bit
     * for bit against {@link Double#parseDouble}, which databind uses; NaN means it leaves the number to parseDouble.
     */
    @Property(tries = 20000)
    void longDecimalsRoundAsParseDoubleDoes(@ForAll("longSignificands") long significand, @ForAll("decimalExponents") int n) {
        double mine = GuestMetricsReader.roundedQuotient(significand, n);
        Statistics.collect(Double.isNaN(mine) ? "left to parseDouble" : "rounded");
        if (!Double.isNaN(mine)) {
            assertThat(Double.doubleToRawLongBits(mine)).as("%dE-%d", significand, n)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(significand + "E-" + n)));
        }
    }

    @Provide
    Arbitrary<Long> longSignificands() {
        Arbitrary<Long> any = Arbitraries.longs().between(1_000_000_000_000_000L, 999_999_999_999_999_999L);
        // Also whole numbers of thousands and ties: x.5 for n = 1 lies exactly halfway between doubles above 2^52.
        return Arbitraries.oneOf(any, any.map(w -> w / 1000 * 1000), any.map(w -> w / 10),
                Arbitraries.longs().between(1L << 52, 1L << 54).map(k -> k * 10 + 5));
    }

    @Provide
    Arbitrary<Integer> decimalExponents() {
        return Arbitraries.integers().between(1, 22);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Arbitraries.of(Mutation.class);
    }

    /** A value of another JSON type or an awkward number: strings of numbers, floats for integers, overflows. */
    @Provide
    Arbitrary<String> otherValues() {
        Arbitrary<String> awkward = Arbitraries.of("\"1\"", "\"2048\"", "\"0.5\"", "\"NaN\"", "\"Infinity\"", "1.0", "2048.5",
                "1e3", "-0", "99999999999999999999", "9223372036854775807", "2147483648", "4096", "4097", "true", "[]", "{}", "\"\"",
                "\"2026-11-26T15:00:00Z\"", "\"2026-11-26T15:00:00\"", "1764169200", "\"g\\u0041\"", "\"\u00e9\"", "0.5");
        Arbitrary<String> anyJson = CODEC.jsonValues().map(node -> new String(Json.bytes(node), StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(Tuple.of(2, awkward), Tuple.of(1, anyJson));
    }

    enum Mutation {
        DROP_FIELD, DUPLICATE_FIELD, NULL_FIELD, OTHER_VALUE, UNKNOWN_NESTED, TRUNCATE, TRAILING_TOKEN, FLIP_BYTES;

        private static final String STRUCTURAL = "\"{}[],:-.eE0123456789 \\nlu";

        byte[] apply(Document document, String other, Random random) {
            List<Member> members = new ArrayList<>(document.members());
            int i = random.nextInt(members.size());
            Member member = members.get(i);
            switch (this) {
                case DROP_FIELD -> members.remove(i);
                case DUPLICATE_FIELD -> members.add(random.nextInt(members.size() + 1),
                        random.nextBoolean() ? member : new Member(member.name(), other));
                case NULL_FIELD -> members.set(i, new Member(member.name(), "null"));
                case OTHER_VALUE -> members.set(i, new Member(member.name(), other));
                case UNKNOWN_NESTED -> members.add(random.nextInt(members.size() + 1), new Member("x" + random.nextInt(3),
                        "{\"guestId\":" + other + ",\"a\":[" + other + "]}"));
                default -> {
                }
            }
            byte[] json = new Document(members, document.spaces()).bytes();
            return switch (this) {
                case TRUNCATE -> Arrays.copyOf(json, random.nextInt(json.length));
                case TRAILING_TOKEN -> (new String(json, StandardCharsets.UTF_8)
                        + List.of(" {}", "x", ",", "}", " 1", "\u000b", "\u0000", " null", "]", "\"").get(random.nextInt(10)))
                        .getBytes(StandardCharsets.UTF_8);
                case FLIP_BYTES -> {
                    for (int k = 1 + random.nextInt(3); k > 0; k--) {
                        json[random.nextInt(json.length)] = (byte) (random.nextBoolean() ? random.nextInt(256)
                                : STRUCTURAL.charAt(random.nextInt(STRUCTURAL.length())));
                    }
                    yield json;
                }
                default -> json;
            };
        }
    }

    // ---- the cases the reader leaves to databind on purpose ----------------------------------

    private static final String SAMPLE = "\"guestId\":\"g-1\",\"hostId\":\"h-1\",\"sampledAt\":\"2026-11-26T15:00:00.123Z\","
            + "\"memoryAssignedMiB\":4096,\"memoryUsedMiB\":1400,\"memoryAvailableMiB\":2696,\"vcpus\":2";

    static Stream<Arguments> edgeCases() {
        return Stream.of(
                Arguments.of("a plain sample", "{" + SAMPLE + ",\"cpuUsage\":0.30000000000000004}", true),
                Arguments.of("both optionals and whitespace", " {" + SAMPLE + ",\"cpuUsage\":1,\"balloonMiB\":512,\"memoryPressure\":null}\r\n", true),
                Arguments.of("known names inside an unknown value", "{" + SAMPLE + ",\"cpuUsage\":0.5,\"x\":{\"guestId\":null,\"vcpus\":[\"a\"]}}", true),
                Arguments.of("-0 for a fraction: databind reads 0.0", "{" + SAMPLE + ",\"cpuUsage\":-0}", false),
                Arguments.of("a duplicate before the record is complete: the last wins", "{" + SAMPLE + ",\"cpuUsage\":0.5,\"guestId\":\"g-2\"}", false),
                Arguments.of("a duplicate after the record is complete: refused",
                        "{" + SAMPLE + ",\"cpuUsage\":0.5,\"balloonMiB\":1,\"memoryPressure\":0.1,\"cpuUsage\":0.7}", false),
                Arguments.of("an escaped name spelling a known one", "{" + SAMPLE + ",\"cpuUsage\":0.5,\"guest\\u0049d\":\"g-2\"}", false),
                Arguments.of("a byte order mark", "\uFEFF{" + SAMPLE + ",\"cpuUsage\":0.5}", false),
                Arguments.of("a timestamp as a number", "{" + SAMPLE.replace("\"2026-11-26T15:00:00.123Z\"", "1764169200") + ",\"cpuUsage\":0.5}",
                        false),
                Arguments.of("a float for MiB", "{" + SAMPLE.replace("4096", "4096.0") + ",\"cpuUsage\":0.5}", false),
                Arguments.of("a trailing token", "{" + SAMPLE + ",\"cpuUsage\":0.5} {}", false),
                Arguments.of("an unknown value nested deeper than the reader goes", "{" + SAMPLE + ",\"cpuUsage\":0.5,\"x\":"
                        + "[".repeat(100) + "]".repeat(100) + "}", false),
                Arguments.of("an unknown value nested deeper than Jackson allows", "{" + SAMPLE + ",\"cpuUsage\":0.5,\"x\":"
                        + "[".repeat(2000) + "]".repeat(2000) + "}", false),
                Arguments.of("a number longer than Jackson allows", "{" + SAMPLE + ",\"cpuUsage\":0.5,\"x\":1" + "0".repeat(1500) + "}", false),
                Arguments.of("more unknown fields than the reader reads", "{" + SAMPLE + ",\"cpuUsage\":0.5"
                        + ",\"x\":1".repeat(100) + "}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeCases")
    void edgeCasesReadAlike(String label, String text, boolean readByTheFastPath) {
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        assertThat(GuestMetricsReader.read(json) != null).isEqualTo(readByTheFastPath);
        assertThat(Outcome.of(() -> EventCodec.decode(json, GuestMetrics.class)))
                .isEqualTo(Outcome.of(() -> EventCodec.decodeWithDatabind(json, GuestMetrics.class)));
    }

    // ---- outcomes ---------------------------------------------------------------------------

    /** What a decode did: the event, or the refusal's field and reason. */
    record Outcome(GuestMetrics event, String field, String reason) {
        static Outcome of(java.util.function.Supplier<GuestMetrics> decode) {
            try {
                return new Outcome(decode.get(), null, null);
            } catch (InvalidEventException e) {
                return new Outcome(null, e.field(), e.reason());
            }
        }
    }

    private static boolean plainIds(GuestMetrics m) {
        return plain(m.guestId()) && plain(m.hostId());
    }

    private static boolean plain(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\');
    }
}
