package dev.nuvola.devstack.test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Iterator;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.engine.SourceOfRandomness;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Fuzzing of a running service's mutations with jqwik's generators, driven from a plain JUnit test: jqwik's
 * engine cannot run inside a {@code @QuarkusTest}, but its {@link Arbitrary}s generate values anywhere. Each
 * endpoint gets requests that are all wrong (junk bodies, valid bodies with at least one broken field, junk path
 * segments), sent with a fixed seed so that a failure repeats. {@link #run} asserts for every request that the
 * answer is a 4xx RFC 9457 problem and that the service's observable state did not change.
 */
public final class RestFuzz {
    /** In a field map: leave the field out of the body. */
    public static final String ABSENT = "\u0000absent";
    /** Whatever is generated, bodies stay below this: the point is shape, not volume. */
    private static final int MAX_STRING = 300;

    private RestFuzz() {
    }

    /** One request: a path already percent-encoded as it goes on the wire, and a body (null for none). */
    public record Try(String path, String contentType, String body) {
        @Override
        public String toString() {
            String shown = body == null ? "<none>" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
            return path + " [" + contentType + "] " + shown;
        }
    }

    /** What one endpoint's fuzzing saw: how many requests, and how many of each status. */
    public record Report(String endpoint, int tries, Map<Integer, Integer> statuses, long millis) {
        @Override
        public String toString() {
            return "fuzz " + endpoint + ": " + tries + " tries in " + millis + " ms, statuses " + statuses;
        }
    }

    /**
     * Sends {@code count} requests from {@code requests} (seeded) with {@code send}, reading {@code state} before
     * and after each: every answer must be a 4xx problem document, and the state the same.
     */
    public static Report run(String endpoint, Arbitrary<Try> requests, int count, long seed, Supplier<?> state,
                             Function<Try, Response> send) {
        // Outside a jqwik property only the sample stream may generate (a generator needs jqwik's own context);
        // it draws from the thread's source of randomness, seeded here so that a failing run repeats.
        SourceOfRandomness.create(Long.toString(seed));
        Iterator<Try> generated = requests.sampleStream().iterator();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long start = System.nanoTime();
        Object before = state.get();
        for (int i = 0; i < count; i++) {
            Try request = generated.next();
            Response response = send.apply(request);
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String where = endpoint + " try " + i + " (seed " + seed + "): " + request + " -> " + status + " "
                    + abbreviate(response.asString());
            if (status < 400 || status > 499) {
                fail("not a 4xx: " + where);
            }
            assertTrue(String.valueOf(response.contentType()).startsWith("application/problem+json"),
                    "not a problem document: " + where);
            assertEquals(Integer.valueOf(status), response.jsonPath().get("status"), "problem status: " + where);
            String title = response.jsonPath().getString("title");
            assertTrue(title != null && !title.isBlank(), "problem without a title: " + where);
            Object after = state.get();
            assertEquals(before, after, "state changed by a refused request: " + where);
        }
        Report report = new Report(endpoint, count, statuses, (System.nanoTime() - start) / 1_000_000);
        System.out.println(report);
        return report;
    }

    /**
     * Requests to {@code paths} with {@code bodies} (a null body: none): mostly as JSON, some with another
     * content type.
     */
    public static Arbitrary<Try> tries(Arbitrary<String> paths, Arbitrary<String> bodies) {
        Arbitrary<String> types = Arbitraries.frequencyOf(weighted(12, Arbitraries.just("application/json")),
                weighted(1, Arbitraries.of("text/plain", "application/xml",
                        "application/octet-stream", "application/json; charset=UTF-16")));
        return Combinators.combine(paths, types, bodies).as(Try::new);
    }

    /** Sends a try with {@code method} as an operator, the path as it is (already encoded). */
    public static Function<Try, Response> asOperator(String method) {
        String token = Tokens.withRoles(Tokens.OPERATOR);
        return t -> {
            RequestSpecification request = given().auth().oauth2(token).urlEncodingEnabled(false);
            if (t.contentType() != null) {
                request = request.contentType(t.contentType());
            }
            if (t.body() != null) {
                request = request.body(t.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return request.request(method, t.path());
        };
    }

    // ---- bodies

    /**
     * Bodies of any shape but the endpoint's: none (null), not JSON, empty, scalars, arrays, random objects, deep
     * nesting.
     */
    public static Arbitrary<String> junkBodies() {
        return Arbitraries.<String>frequencyOf(
                weighted(3, notJson()),
                weighted(3, jsonValues(2)),
                weighted(1, deepNesting()),
                weighted(1, Arbitraries.of("", " ", "null", "{}", "[]", "{\"\":null}", "\"\"", "{\"a\":1}{\"b\":2}")))
                .injectNull(0.05);
    }

    /**
     * An object of the endpoint's fields, each from {@code fields} (name to JSON text, or {@link #ABSENT}), with
     * unknown fields mixed in now and then (never a repeated key: Jackson keeps the last, which could mend a
     * broken field). Whether the result is wrong is the caller's choice: give each field either breaking values
     * only, or valid ones and break another.
     */
    public static Arbitrary<String> objects(Map<String, Arbitrary<String>> fields) {
        List<Arbitrary<String>> members = new ArrayList<>();
        fields.forEach((name, values) -> members.add(values.map(v -> v.equals(ABSENT) ? "" : quote(name) + ":" + v)));
        Arbitrary<List<String>> extras = Combinators.combine(fieldNames(), jsonValues(1))
                .as((n, v) -> quote(n) + ":" + v).list().ofMaxSize(3);
        Arbitrary<List<String>> known = Combinators.combine(members.stream().map(a -> a.map(List::of))
                .map(a -> (Arbitrary<List<String>>) a).toList()).as(parts -> parts.stream().flatMap(List::stream).toList());
        return Combinators.combine(known, extras.injectNull(0.7), Arbitraries.randoms()).as((k, e, random) -> {
            List<String> all = new ArrayList<>(k.stream().filter(s -> !s.isEmpty()).toList());
            if (e != null) {
                all.addAll(e);
                java.util.Collections.shuffle(all, random);
            }
            return "{" + String.join(",", all) + "}";
        });
    }

    /**
     * Bodies that each break at least one field of a valid one: a field chosen at random gets a value from
     * {@code broken}; each other field has a valid value from {@code valid} or, now and then, a broken one too.
     * Every key of {@code broken} must be one of {@code valid}.
     */
    public static Arbitrary<String> brokenBodies(Map<String, Arbitrary<String>> valid,
                                                 Map<String, Arbitrary<String>> broken) {
        // Sorted: Map.of's order changes from one JVM to the next, and a seed must give the same requests.
        return Arbitraries.of(broken.keySet().stream().sorted().toList()).flatMap(target -> {
            Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
            valid.forEach((name, values) -> fields.put(name, name.equals(target) ? broken.get(name)
                    : broken.containsKey(name) ? Arbitraries.frequencyOf(weighted(4, values), weighted(1, broken.get(name)))
                    : values));
            return objects(fields);
        });
    }

    /** JSON values up to {@code depth} levels deep: strings, numbers, literals, arrays and objects. */
    public static Arbitrary<String> jsonValues(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(jsonStrings(), numbers(),
                Arbitraries.of("true", "false", "null"));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<String> inner = jsonValues(depth - 1);
        Arbitrary<String> arrays = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> objects = Combinators.combine(fieldNames(), inner).as((n, v) -> quote(n) + ":" + v)
                .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(scalars, scalars, arrays, objects);
    }

    /** JSON strings of any characters: unicode, controls, quotes, empty, long. */
    public static Arbitrary<String> jsonStrings() {
        return strings().map(RestFuzz::quote);
    }

    /** Numbers as JSON text: small and huge, negative, fractions, exponents beyond double, past long. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(19).negate(), BigInteger.TEN.pow(40))
                        .map(BigInteger::toString),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("Infinity") && !s.contains("NaN")),
                Arbitraries.of("0", "-0", "0.0", "1e400", "-1e400", "1E-400", "9223372036854775808",
                        "-9223372036854775809", "4294967296", "2147483648", "1.5", "1e3"));
    }

    /**
     * Values that no positive, bounded count accepts: zero, negative, past its maximum, past long, fractions
     * that are no count, and other types. {@code max} is the largest valid value.
     */
    public static Arbitrary<String> badCounts(long max) {
        return Arbitraries.oneOf(
                Arbitraries.longs().lessOrEqual(0).map(String::valueOf),
                Arbitraries.longs().greaterOrEqual(max + 1).map(String::valueOf),
                Arbitraries.of("9223372036854775808", "-9223372036854775809", "1e400", "\"\"", "\"lots\"", "{}",
                        "[]", "[1]", "{\"value\":1}", "\"-1\"", "-0.5", "0.5"),
                jsonStrings().filter(s -> !s.matches("\"\\s*[+]?\\d+(\\.\\d*)?\\s*\"")),
                deepNesting());
    }

    /** Values that are no id: missing, null, blank, too long, whitespace, controls, slashes, non-strings. */
    public static Arbitrary<String> badIds() {
        return Arbitraries.oneOf(
                Arbitraries.of(ABSENT, "null", "\"\"", "\" \"", "\"a b\"", "\"a/b\"", "\"../etc\"", "\"-a\"", "\"x\\n\"",
                        "\"\\u0000\"", "\"%2F\"", "{}", "[]", "[\"a\"]", "{\"id\":\"a\"}"),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(256).map(RestFuzz::quote),
                strings().filter(s -> !s.matches("[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}")).map(RestFuzz::quote));
    }

    /** Text that is no JSON document. */
    public static Arbitrary<String> notJson() {
        return Arbitraries.oneOf(
                strings().filter(s -> !s.isBlank() && !s.strip().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")
                        && !List.of("true", "false", "null").contains(s.strip())),
                Arbitraries.of("{", "}", "[", "{\"a\":", "{\"a\" 1}", "{a:1}", "{'a':1}", "NaN", "0x10", "--1",
                        "{\"a\":1,}", "[1,]", "\"unterminated", "<xml/>", "\uFEFF{}", "{\"a\":\"\\x\"}",
                        "{\"a\":01}", "{\"a\":1}}", "\u0000"));
    }

    /** Arrays or objects nested up to a few thousand levels: past any parser's depth limit. */
    public static Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(50, 5000), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of(true, false)).as((depth, open, closed) -> {
            String close = open.equals("[") ? "]" : "}";
            return open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
        });
    }

    /** Field names: empty, unicode, controls, near-misses of real names. */
    public static Arbitrary<String> fieldNames() {
        return Arbitraries.oneOf(strings().ofMaxLength(20), Arbitraries.of("", "id", "guestid", "GuestId", "memory",
                "__proto__", "constructor", "@class", "$type"));
    }

    // ---- paths

    /**
     * Path segments as they go on the wire: percent-encoded junk (encoded slashes, NULs, overlong UTF-8), dot
     * segments, long and unicode text, and well-formed ids that name nothing. Malformed escapes ({@code %ZZ})
     * are not among them: RestAssured (java.net.URI) refuses to send them.
     */
    public static Arbitrary<String> pathSegments() {
        return Arbitraries.oneOf(
                Arbitraries.of("%2F", "a%2Fb", "%00", "a%00b", "%C0%AF", "%FF", "%E2%80%AE",
                        "%20", "+", "..", "%2E%2E", ".", "~", ";", "a;b=c", "a?b", "a%3Fb", "a%23b", "%7B%7D",
                        "%25"),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(256),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(s -> "no-such-" + s),
                strings().ofMinLength(1).ofMaxLength(40).map(RestFuzz::percentEncode));
    }

    // ---- helpers

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Every byte not unreserved as %XX of its UTF-8 (an unpaired surrogate becomes '?', as Java encodes it). */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static net.jqwik.api.arbitraries.StringArbitrary strings() {
        return Arbitraries.strings().all().ofMaxLength(MAX_STRING);
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** For {@link Arbitraries#frequencyOf}: {@code a}, chosen {@code weight} times as often as a weight of 1. */
    public static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight,
                                                                                         Arbitrary<? extends T> a) {
        return net.jqwik.api.Tuple.of(weight, a);
    }
}
