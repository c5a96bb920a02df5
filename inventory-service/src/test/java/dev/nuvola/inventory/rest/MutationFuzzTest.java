package dev.nuvola.inventory.rest;

import static dev.nuvola.devstack.test.RestFuzz.ABSENT;
import static dev.nuvola.devstack.test.RestFuzz.weighted;
import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestFuzz;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.Topics;
import dev.nuvola.inventory.model.GuestAddress;
import dev.nuvola.inventory.model.Prefix;
import dev.nuvola.inventory.model.ScalingPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The inventory's mutations fuzzed with wrong requests (RestFuzz): each is a 4xx problem and adds or changes no
 * policy, prefix or address, and publishes no policy; then a right request to each succeeds.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class MutationFuzzTest {
    static final String HOST = "fzi-h";
    static final String GUEST = "fzi-g";
    /** Added before the fuzzing, so that overlapping it is one of the wrongs tried. */
    static final String TAKEN = "fd7a:f022::/48";
    static final String FREE = "fd7a:f023::/64";
    static final int TRIES = 200;

    @Test
    void wrongMutationsAreProblemsThatChangeNothingAndRightOnesSucceed() {
        TestKafka.shared().send(HOST, status(HOST, now(), 30000, new HostGuest(GUEST, 1024, 8192, 1, 4)));
        awaitStatus("/api/v1/guests/" + GUEST, 200);
        AddressAllocationTest.addPrefix(TAKEN, "HOST", "fzi-other").statusCode(201);
        long policiesBefore = policiesPublished();

        Arbitrary<RestFuzz.Try> policies = Arbitraries.oneOf(
                RestFuzz.tries(Arbitraries.just(policyOf(GUEST)), Arbitraries.frequencyOf(
                        weighted(3, RestFuzz.brokenBodies(validPolicy(), brokenPolicy())),
                        weighted(1, RestFuzz.junkBodies()))),
                RestFuzz.tries(RestFuzz.pathSegments().map(MutationFuzzTest::policyOf),
                        Arbitraries.oneOf(RestFuzz.junkBodies(), RestFuzz.objects(validPolicy()))));
        RestFuzz.Report put = RestFuzz.run("PUT /api/v1/guests/{id}/policy", policies, TRIES, 2_718L,
                MutationFuzzTest::state, RestFuzz.asOperator("PUT"));
        assertThat(put.statuses()).containsKeys(400, 404);

        Map<String, Arbitrary<String>> validPrefix = new LinkedHashMap<>();
        validPrefix.put("prefix", Arbitraries.just("\"" + FREE + "\""));
        validPrefix.put("scope", Arbitraries.of("\"HOST\"", "\"SITE\""));
        validPrefix.put("scopeId", Arbitraries.of("\"" + HOST + "\"", "\"elsewhere\""));
        Map<String, Arbitrary<String>> brokenPrefix = Map.of(
                // Malformed, out of range, or overlapping the prefix already there (a 409).
                "prefix", Arbitraries.oneOf(RestFuzz.badIds(), RestFuzz.jsonStrings(), Arbitraries.of("\"" + TAKEN + "\"",
                        "\"fd7a:f022:0:1::/64\"", "\"fd7a::/16\"", "\"fd7a:f022::/56\""), Arbitraries.of("\"fd7a:f023::1/64\"", "\"10.0.0.0/8\"", "\"fd7a:f023::/0\"",
                        "\"fd7a:f023::/121\"", "\"fd7a:f023::/129\"", "\"fd7a:f023::/-1\"", "\"fd7a:f023::\"",
                        "\"fd7a:f023::/64/64\"", "\"[fd7a:f023::]/64\"", "\"fd7a:f023::%eth0/64\"", "\"::ffff:10.0.0.0/104\"",
                        "\"fd7a:f023:::/64\"", "\"fd7a:f023::/ 64\"", "\"fd7a:f023::/99999999999\"", "64", "{}")),
                "scope", Arbitraries.oneOf(RestFuzz.jsonStrings().filter(s -> !s.equals("\"HOST\"") && !s.equals("\"SITE\"")),
                        Arbitraries.of(ABSENT, "null", "\"host\"", "\"HOST \"", "0", "[\"HOST\"]")),
                "scopeId", RestFuzz.badIds());
        Arbitrary<String> prefixPaths = Arbitraries.frequencyOf(weighted(9, Arbitraries.just("/api/v1/prefixes")),
                weighted(1, RestFuzz.pathSegments().map(s -> "/api/v1/prefixes/" + s)));
        RestFuzz.Report post = RestFuzz.run("POST /api/v1/prefixes", RestFuzz.tries(prefixPaths,
                        Arbitraries.frequencyOf(weighted(3, RestFuzz.brokenBodies(validPrefix, brokenPrefix)),
                                weighted(1, RestFuzz.junkBodies()))), TRIES, 1_618L,
                MutationFuzzTest::state, RestFuzz.asOperator("POST"));
        assertThat(post.statuses()).containsKeys(400, 409);
        assertThat(policiesPublished()).isEqualTo(policiesBefore);

        asOperator().contentType("application/json")
                .body("{\"minMemoryMiB\":512,\"maxMemoryMiB\":4096,\"minVcpus\":1,\"maxVcpus\":2}")
                .put(policyOf(GUEST)).then().statusCode(200).body("guestId", equalTo(GUEST));
        AddressAllocationTest.addPrefix(FREE, "HOST", HOST).statusCode(201);
    }

    @Test
    void violationsNameEachField() {
        asOperator().contentType("application/json").body("{\"prefix\":null,\"scope\":\"NOWHERE\",\"scopeId\":\" \"}")
                .post("/api/v1/prefixes").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("prefix", "scope", "scopeId")));
        asOperator().contentType("application/json").put(policyOf("a%20b")).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("id", "request")));
        // Reads validate their ids too: never a lookup with a key no event could have.
        for (String read : List.of("/api/v1/guests/{id}", "/api/v1/guests/{id}/history", "/api/v1/guests/{id}/samples",
                "/api/v1/guests/{id}/policy", "/api/v1/hosts/{id}")) {
            asViewer().get(read, "a b").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("id"));
        }
    }

    private static Map<String, Arbitrary<String>> validPolicy() {
        Map<String, Arbitrary<String>> valid = new LinkedHashMap<>();
        valid.put("minMemoryMiB", Arbitraries.longs().between(0, 1024).map(String::valueOf));
        valid.put("maxMemoryMiB", Arbitraries.longs().between(1024, 8192).map(String::valueOf));
        valid.put("minVcpus", Arbitraries.just("1"));
        valid.put("maxVcpus", Arbitraries.integers().between(1, 4).map(String::valueOf));
        valid.put("targetMemoryUtilisation", Arbitraries.of(ABSENT, "null", "0.5", "1", "0.01"));
        valid.put("targetCpuUtilisation", Arbitraries.of(ABSENT, "null", "0.7", "1.0"));
        valid.put("priority", Arbitraries.oneOf(Arbitraries.of(ABSENT, "null"),
                Arbitraries.integers().between(-1000, 1000).map(String::valueOf)));
        valid.put("migratable", Arbitraries.of(ABSENT, "null", "true", "false"));
        valid.put("neverRestart", Arbitraries.of(ABSENT, "null", "true", "false"));
        valid.put("antiAffinityGroup", Arbitraries.of(ABSENT, "null", "\"xmpp\""));
        return valid;
    }

    private static Map<String, Arbitrary<String>> brokenPolicy() {
        Arbitrary<String> wrongTypes = Arbitraries.of("\"lots\"", "{}", "[]", "[1]", "1e400", "9223372036854775808");
        Arbitrary<String> missing = Arbitraries.of(ABSENT, "null");
        return Map.of(
                "minMemoryMiB", Arbitraries.oneOf(missing, wrongTypes, Arbitraries.longs().lessOrEqual(-1).map(String::valueOf),
                        Arbitraries.longs().between(8193, Long.MAX_VALUE).map(String::valueOf)),
                "maxMemoryMiB", Arbitraries.oneOf(missing, wrongTypes, Arbitraries.longs().between(8193, Long.MAX_VALUE)
                        .map(String::valueOf)),
                "minVcpus", Arbitraries.oneOf(missing, wrongTypes, Arbitraries.integers().lessOrEqual(0).map(String::valueOf),
                        Arbitraries.integers().between(5, Integer.MAX_VALUE).map(String::valueOf)),
                "maxVcpus", Arbitraries.oneOf(missing, wrongTypes, Arbitraries.integers().between(5, Integer.MAX_VALUE)
                        .map(String::valueOf)),
                "targetMemoryUtilisation", Arbitraries.oneOf(wrongTypes, Arbitraries.of("0", "-0.1", "1.01", "2", "1e400")),
                "targetCpuUtilisation", Arbitraries.oneOf(wrongTypes, Arbitraries.of("0", "-1", "1.5", "-1e400")),
                "priority", Arbitraries.oneOf(wrongTypes, Arbitraries.integers().greaterOrEqual(1001).map(String::valueOf),
                        Arbitraries.integers().lessOrEqual(-1001).map(String::valueOf)),
                "migratable", Arbitraries.of("\"maybe\"", "{}", "[]", "\"\""),
                "antiAffinityGroup", Arbitraries.oneOf(Arbitraries.of("\"\"", "\"   \"", "{}", "[]"),
                        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(256).ofMaxLength(400).map(s -> "\"" + s + "\"")));
    }

    private static String policyOf(String guest) {
        return "/api/v1/guests/" + guest + "/policy";
    }

    private static Object state() {
        return QuarkusTransaction.requiringNew().call(() -> List.of(ScalingPolicy.count(), Prefix.count(),
                GuestAddress.count(), Optional.ofNullable(ScalingPolicy.<ScalingPolicy>findById(GUEST))
                        .map(ScalingPolicy::toEvent)));
    }

    private static long policiesPublished() {
        return TestKafka.shared().readAll(Topics.GUEST_POLICIES).stream()
                .filter(r -> GUEST.equals(r.key())).count();
    }
}
