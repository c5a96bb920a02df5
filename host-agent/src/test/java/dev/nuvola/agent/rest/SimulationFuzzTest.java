package dev.nuvola.agent.rest;

import static dev.nuvola.devstack.test.RestFuzz.weighted;
import static dev.nuvola.devstack.test.Tokens.asOperator;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.agent.AgentTestProfile;
import dev.nuvola.agent.service.UsageSource;
import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestFuzz;
import dev.nuvola.devstack.test.RestOverIpv6;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * PUT /api/v1/simulation/guests/{name}/load fuzzed with wrong requests (RestFuzz): each is a 4xx problem and no
 * guest's load changes; then a right one is taken. It works on ta-small, whose load AgentKafkaTest reads, and
 * sets it to the default it already has (half its 512 MiB, 0.2 CPU), so the order of the classes does not matter.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@TestProfile(AgentTestProfile.class)
@WithTestResource(NuvolaStackResource.class)
class SimulationFuzzTest {
    static final String GUEST = "ta-small";

    @Inject
    UsageSource usage;

    @Test
    void wrongLoadsAreProblemsThatChangeNothingAndARightOneIsTaken() {
        // The agent's first sample gives the guest its default load, once: from then on only a PUT changes it.
        await().atMost(Duration.ofSeconds(20)).until(() -> usage.simulation().get(GUEST).isPresent());
        Map<String, Arbitrary<String>> valid = new LinkedHashMap<>();
        valid.put("workingSetMiB", Arbitraries.longs().between(0, 1024).map(String::valueOf));
        valid.put("cpuUsage", Arbitraries.doubles().between(0, 1).map(String::valueOf));
        Map<String, Arbitrary<String>> broken = Map.of(
                "workingSetMiB", Arbitraries.oneOf(Arbitraries.longs().lessOrEqual(-1).map(String::valueOf),
                        Arbitraries.of("\"lots\"", "{}", "[]", "[1]", "9223372036854775808", "1e400", "\"\"")),
                "cpuUsage", Arbitraries.oneOf(Arbitraries.doubles().greaterThan(1).map(String::valueOf),
                        Arbitraries.doubles().lessThan(0).map(String::valueOf),
                        Arbitraries.of("\"half\"", "{}", "[]", "1e400", "-1e400", "\"NaN\"", "\"Infinity\"")));
        String own = "/api/v1/simulation/guests/" + GUEST + "/load";
        Arbitrary<RestFuzz.Try> loads = Arbitraries.oneOf(
                RestFuzz.tries(Arbitraries.just(own), Arbitraries.frequencyOf(
                        weighted(3, RestFuzz.brokenBodies(valid, broken)), weighted(1, RestFuzz.junkBodies()))),
                RestFuzz.tries(RestFuzz.pathSegments().map(s -> "/api/v1/simulation/guests/" + s + "/load"),
                        Arbitraries.oneOf(RestFuzz.junkBodies(), RestFuzz.objects(valid))));

        RestFuzz.Report report = RestFuzz.run("PUT /api/v1/simulation/guests/{name}/load", loads, 300, 1_729L,
                this::loads, RestFuzz.asOperator("PUT"));
        assertThat(report.statuses()).containsKeys(400, 404);

        asOperator().contentType(ContentType.JSON).body("{\"workingSetMiB\":256,\"cpuUsage\":0.2}").put(own).then()
                .statusCode(200).body("workingSetMiB", equalTo(256));
    }

    @Test
    void violationsNameEachField() {
        asOperator().contentType(ContentType.JSON).body("{}").put("/api/v1/simulation/guests/ta-small/load").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("cpuUsage", "workingSetMiB")));
        asOperator().contentType(ContentType.JSON).put("/api/v1/simulation/guests/a%20b/load").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("name", "request")));
    }

    /** The guest's load as the simulation holds it; other names are unknown to the agent (a 200 fails anyway). */
    private Object loads() {
        return usage.simulation().get(GUEST).orElseThrow();
    }
}
