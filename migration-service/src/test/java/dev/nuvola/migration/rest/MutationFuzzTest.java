package dev.nuvola.migration.rest;

import static dev.nuvola.devstack.test.RestFuzz.ABSENT;
import static dev.nuvola.devstack.test.RestFuzz.weighted;
import static dev.nuvola.devstack.test.Tokens.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestFuzz;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.Check;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.Topics;
import dev.nuvola.migration.model.Drain;
import dev.nuvola.migration.model.Migration;
import dev.nuvola.migration.saga.PlacementFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The migration service's mutations fuzzed with wrong requests (RestFuzz): each is a 4xx problem and adds no
 * operator migration, no drain and no Kafka record about its guest and hosts; then a right request to each succeeds.
 * Migrations and drains other test classes left running may still move on meanwhile, so the state compared is
 * what only these endpoints create.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class MutationFuzzTest {
    static final Set<Capability> LIVE = Set.of(Capability.LIVE_MIGRATION, Capability.SAVE_RESTORE);
    static final String GUEST = "fz-g";
    static final String SOURCE = "fz-src";
    static final String TARGET = "fz-dst";
    static final int TRIES = 200;

    @Test
    void wrongMutationsAreProblemsThatChangeNothingAndRightOnesSucceed() {
        PlacementFixtures.publishHost(SOURCE, HostState.ACTIVE, 0, LIVE, new HostGuest(GUEST, 1024, 4096, 1, 4));
        PlacementFixtures.publishHost(TARGET, HostState.ACTIVE, 16384, LIVE);
        PlacementFixtures.publishHost("fz-empty", HostState.ACTIVE, 16384, LIVE);
        long recordsBefore = recordsAboutUs();

        RestFuzz.Report migrations = RestFuzz.run("POST /api/v1/migrations",
                RestFuzz.tries(pathsUnder("/api/v1/migrations", "/api/v1/migrations"), migrationBodies()), TRIES,
                31_337L, MutationFuzzTest::state, RestFuzz.asOperator("POST"));
        assertThat(migrations.statuses()).containsKeys(400, 404);

        // A known host gets only broken bodies (a right one would drain it); an unknown or junk one gets any.
        Arbitrary<RestFuzz.Try> drains = Arbitraries.oneOf(
                RestFuzz.tries(Arbitraries.just(drainOf(SOURCE)), drainBodies()),
                RestFuzz.tries(RestFuzz.pathSegments().map(MutationFuzzTest::drainOf),
                        Arbitraries.oneOf(RestFuzz.junkBodies(), drainBodies(), Arbitraries.just("{\"concurrency\":2}"))));
        RestFuzz.Report started = RestFuzz.run("POST /api/v1/hosts/{id}/drain", drains, TRIES, 4_711L,
                MutationFuzzTest::state, RestFuzz.asOperator("POST"));
        assertThat(started.statuses()).containsKeys(400, 404);

        // Nothing is drained: ending any drain, of a known host or not, is refused.
        Arbitrary<RestFuzz.Try> ends = RestFuzz.tries(Arbitraries.oneOf(Arbitraries.just(drainOf(SOURCE)),
                RestFuzz.pathSegments().map(MutationFuzzTest::drainOf)), RestFuzz.junkBodies());
        RestFuzz.Report ended = RestFuzz.run("DELETE /api/v1/hosts/{id}/drain", ends, TRIES / 2, 1_234L,
                MutationFuzzTest::state, RestFuzz.asOperator("DELETE"));
        assertThat(ended.statuses()).containsKey(404);
        assertThat(recordsAboutUs()).isEqualTo(recordsBefore);

        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"" + GUEST + "\",\"reason\":\"fuzz\"}")
                .post("/api/v1/migrations").then().statusCode(201).body("guestId", equalTo(GUEST));
        asOperator().contentType(ContentType.JSON).body("{\"concurrency\":2}").post(drainOf("fz-empty")).then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> asOperator().delete(drainOf("fz-empty")).statusCode() == 200);
    }

    @Test
    void violationsNameEachField() {
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"\",\"memoryMiB\":0,\"requestId\":\"a/b\"}")
                .post("/api/v1/migrations").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("guestId", "memoryMiB", "requestId")));
        // Numbers only from JSON numbers (service-kit's StrictJson): a blank string is not an absent size.
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"" + GUEST + "\",\"memoryMiB\":512,\"vcpus\":\" \"}")
                .post("/api/v1/migrations").then().statusCode(400).contentType("application/problem+json");
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"" + GUEST + "\",\"memoryMiB\":512.5,\"vcpus\":1}")
                .post("/api/v1/migrations").then().statusCode(400).contentType("application/problem+json");
        asOperator().contentType(ContentType.JSON).body("{\"concurrency\":65}").post(drainOf("a%20b")).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("concurrency", "id")));
    }

    private static Arbitrary<String> migrationBodies() {
        Map<String, Arbitrary<String>> valid = new LinkedHashMap<>();
        valid.put("guestId", Arbitraries.just("\"" + GUEST + "\""));
        valid.put("sourceHostId", Arbitraries.of(ABSENT, "null", "\"" + SOURCE + "\""));
        valid.put("targetHostId", Arbitraries.of(ABSENT, "null", "\"" + TARGET + "\""));
        valid.put("memoryMiB", Arbitraries.oneOf(Arbitraries.just(ABSENT), Arbitraries.longs().between(1, 4096).map(String::valueOf)));
        valid.put("vcpus", Arbitraries.oneOf(Arbitraries.just(ABSENT), Arbitraries.integers().between(1, 4).map(String::valueOf)));
        valid.put("reason", Arbitraries.of(ABSENT, "null", "\"\"", "\"maintenance\""));
        valid.put("requestId", Arbitraries.of(ABSENT, "null", "\"fz-r1\""));
        Map<String, Arbitrary<String>> broken = Map.of(
                "guestId", RestFuzz.badIds(),
                "sourceHostId", Arbitraries.oneOf(present(RestFuzz.badIds()), Arbitraries.just("\"no-such-host\"")),
                "targetHostId", Arbitraries.oneOf(present(RestFuzz.badIds()),
                        Arbitraries.of("\"no-such-host\"", "\"" + SOURCE + "\"")),
                "memoryMiB", RestFuzz.badCounts(Check.MAX_MIB),
                "vcpus", RestFuzz.badCounts(Check.MAX_VCPUS),
                "reason", Arbitraries.strings().withCharRange('a', 'z').ofMinLength(501).ofMaxLength(2000)
                        .map(r -> "\"" + r + "\""),
                "requestId", present(RestFuzz.badIds()));
        return Arbitraries.frequencyOf(weighted(6, RestFuzz.brokenBodies(valid, broken)), weighted(2, RestFuzz.junkBodies()),
                // A guest no host lists, without a source and size to go by (with them, an operator may move it).
                weighted(1, Arbitraries.of("{\"guestId\":\"nobody-lists-me\"}",
                        "{\"guestId\":\"nobody-lists-me\",\"memoryMiB\":512,\"vcpus\":1}")));
    }

    private static Arbitrary<String> drainBodies() {
        return RestFuzz.brokenBodies(Map.of("concurrency", Arbitraries.just("2")),
                Map.of("concurrency", RestFuzz.badCounts(DrainResource.MAX_CONCURRENCY)
                        .filter(v -> !v.equals("\"\""))));
    }

    /** An id broken by its value, not by its absence: for optional fields, absent is right. */
    private static Arbitrary<String> present(Arbitrary<String> ids) {
        return ids.filter(v -> !v.equals(ABSENT) && !v.equals("null"));
    }

    private static Arbitrary<String> pathsUnder(String base, String exact) {
        return Arbitraries.frequencyOf(weighted(9, Arbitraries.just(exact)),
                weighted(1, RestFuzz.pathSegments().map(s -> base + "/" + s)));
    }

    private static String drainOf(String host) {
        return "/api/v1/hosts/" + host + "/drain";
    }

    private static Object state() {
        return QuarkusTransaction.requiringNew().call(() -> List.of(Migration.count("requestedBy", "operator"),
                Drain.count()));
    }

    /** What the service published about this test's guest and hosts: migration commands and events, host states. */
    private static long recordsAboutUs() {
        return Stream.of(Topics.MIGRATION_COMMANDS, Topics.MIGRATION_EVENTS, Topics.HOST_STATUS)
                .flatMap(t -> TestKafka.shared().readAll(t).stream())
                .filter(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains("\"fz-"))
                .count();
    }
}
