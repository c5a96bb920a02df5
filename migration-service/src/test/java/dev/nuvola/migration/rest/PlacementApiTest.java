package dev.nuvola.migration.rest;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.migration.saga.PlacementFixtures.publishHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.events.Capability;
import dev.nuvola.events.HostState;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The placement dry run: every candidate's verdict over REST; bad parameters are problems. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class PlacementApiTest {
    private static final Set<Capability> LIVE = Set.of(Capability.LIVE_MIGRATION);

    @Test
    void everyCandidateIsExplained() {
        String roomy = "roomy-" + UUID.randomUUID().toString().substring(0, 8);
        String full = "full-" + UUID.randomUUID().toString().substring(0, 8);
        String down = "down-" + UUID.randomUUID().toString().substring(0, 8);
        publishHost(roomy, HostState.ACTIVE, 8192, LIVE);
        publishHost(full, HostState.ACTIVE, 512, LIVE);
        publishHost(down, HostState.DOWN, 60000, LIVE);

        JsonPath body = asViewer().queryParam("memoryMiB", 1000).queryParam("vcpus", 2).get("/api/v1/placement")
                .then().statusCode(200)
                .body("chosenHostId", notNullValue())
                .body("reason", containsString("best of"))
                .body("multipliers.freeMemory", equalTo(1.0f))
                .extract().jsonPath();
        List<Map<String, Object>> candidates = body.getList("candidates");
        assertThat(candidates).hasSize(body.getInt("hosts"));
        Map<String, Object> r = byHost(candidates, roomy);
        assertThat(r.get("passed")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> weights = (Map<String, Object>) r.get("weights");
        assertThat(weights).containsKeys("freeMemory", "balance", "recentFailures");
        assertThat(r.get("score")).isNotNull();
        assertThat(r.get("method")).isEqualTo("LIVE");
        Map<String, Object> f = byHost(candidates, full);
        assertThat(f.get("failedFilter")).isEqualTo("CapacityFilter");
        assertThat(f.get("reason")).isEqualTo("needs 1000 MiB, has 512 MiB (512 free, 0 reserved)");
        assertThat(byHost(candidates, down).get("reason")).isEqualTo("host is DOWN, not ACTIVE");
        // Passed candidates first, best first.
        int firstFailed = candidates.stream().map(c -> (Boolean) c.get("passed")).toList().indexOf(false);
        assertThat(candidates.subList(firstFailed, candidates.size())).allMatch(c -> c.get("passed").equals(false));
        assertThat(candidates.get(0).get("chosen")).isEqualTo(true);
    }

    @Test
    void badParametersAreProblemsNamingThem() {
        problem(Map.of("vcpus", "1"), "memoryMiB is required");
        problem(Map.of("memoryMiB", "lots", "vcpus", "1"), "memoryMiB must be a whole number, got 'lots'");
        problem(Map.of("memoryMiB", "1.5", "vcpus", "1"), "memoryMiB must be a whole number, got '1.5'");
        problem(Map.of("memoryMiB", "1024", "vcpus", "0"), "vcpus must be between 1 and 4096, got 0");
        problem(Map.of("memoryMiB", "-1", "vcpus", "1"), "memoryMiB must be between 1 and 67108864, got -1");
        problem(Map.of("memoryMiB", "1024", "vcpus", "1", "neverRestart", "maybe"),
                "neverRestart must be true or false, got 'maybe'");
    }

    private static void problem(Map<String, String> params, String detail) {
        asViewer().queryParams(params).get("/api/v1/placement").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", equalTo(detail));
    }

    private static Map<String, Object> byHost(List<Map<String, Object>> candidates, String hostId) {
        return candidates.stream().filter(c -> hostId.equals(c.get("hostId"))).findFirst().orElseThrow();
    }
}
