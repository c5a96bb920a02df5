package dev.nuvola.scaler.rest;

import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.nuvola.devstack.test.RestFuzz.weighted;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.ResizeCommand;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * POST /api/v1/resizes fuzzed with wrong requests (RestFuzz): each is a 4xx problem, records no decision and
 * sends no command; then one right request is accepted. The guest is known to the scaler through its host's
 * status only, so no sample makes the scaler decide on its own while the fuzzing watches.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(NuvolaStackResource.class)
class ResizeFuzzTest {
    static final TestKafka kafka = TestKafka.shared();
    static final String GUEST = "g-fuzz";

    @Test
    void wrongResizesAreProblemsThatChangeNothingAndARightOneIsAccepted() {
        kafka.send("h-fuzz", new HostStatus("h-fuzz", Instant.now(), HostState.ACTIVE, "::1", "libvirt",
                Set.of(Capability.LIVE_MEMORY_GROW, Capability.LIVE_MEMORY_SHRINK, Capability.LIVE_VCPU), 65536,
                16384, 64, 32, List.of(new HostGuest(GUEST, 2048, 8192, 2, 8))));
        // Known once an over-large size is refused for the guest rather than the guest being unknown.
        await().atMost(Duration.ofSeconds(20)).until(() -> asOperator().contentType(ContentType.JSON)
                .body("{\"guestId\":\"" + GUEST + "\",\"memoryMiB\":99999}").post("/api/v1/resizes").statusCode() == 400);

        Map<String, Arbitrary<String>> valid = new LinkedHashMap<>();
        valid.put("guestId", Arbitraries.just("\"" + GUEST + "\""));
        valid.put("memoryMiB", Arbitraries.longs().between(1024, 8192).map(m -> String.valueOf(m / 128 * 128)));
        valid.put("vcpus", Arbitraries.integers().between(1, 8).map(String::valueOf));
        valid.put("reason", Arbitraries.strings().ofMaxLength(100).injectNull(0.5)
                .map(r -> r == null ? RestFuzz.ABSENT : "\"" + r.replaceAll("[\"\\\\\\p{Cntrl}]", "") + "\""));
        Map<String, Arbitrary<String>> broken = Map.of(
                "guestId", Arbitraries.oneOf(RestFuzz.badIds(), Arbitraries.of("\"nobody\"", "\"g-fuzz-2\"", "\"G-FUZZ\"")),
                // Within the API's bounds yet beyond the guest's hypervisor maximum: the domain's own check refuses.
                "memoryMiB", Arbitraries.oneOf(RestFuzz.badCounts(Check.MAX_MIB),
                        Arbitraries.longs().between(8193, Check.MAX_MIB).map(String::valueOf)),
                "vcpus", Arbitraries.oneOf(RestFuzz.badCounts(Check.MAX_VCPUS),
                        Arbitraries.integers().between(9, Check.MAX_VCPUS).map(String::valueOf)),
                "reason", Arbitraries.strings().withCharRange('a', 'z').ofMinLength(501).ofMaxLength(2000)
                        .map(r -> "\"" + r + "\""));
        Arbitrary<String> bodies = Arbitraries.frequencyOf(
                weighted(3, RestFuzz.brokenBodies(valid, broken)),
                weighted(1, RestFuzz.junkBodies()),
                // Both sizes left out: the one refusal the API's constraints cannot express.
                weighted(1, Arbitraries.just("{\"guestId\":\"" + GUEST + "\"}")));
        Arbitrary<String> paths = Arbitraries.frequencyOf(weighted(9, Arbitraries.just("/api/v1/resizes")),
                weighted(1, RestFuzz.pathSegments().map(s -> "/api/v1/resizes/" + s)));

        int commandsBefore = commands().size();
        RestFuzz.Report report = RestFuzz.run("POST /api/v1/resizes", RestFuzz.tries(paths, bodies), 400, 9_001L,
                ResizeFuzzTest::decisions, RestFuzz.asOperator("POST"));
        assertThat(report.statuses()).containsKeys(400, 404);
        assertThat(commands()).hasSize(commandsBefore);

        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"" + GUEST + "\",\"memoryMiB\":3072}")
                .post("/api/v1/resizes").then().statusCode(202).body("action", equalTo("RESIZE"));
        await().atMost(Duration.ofSeconds(20)).until(() -> commands().size() == commandsBefore + 1);
    }

    @Test
    void violationsNameEachField() {
        asOperator().contentType(ContentType.JSON).body("{\"guestId\":\"a b\",\"memoryMiB\":-1,\"vcpus\":0}")
                .post("/api/v1/resizes").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad Request"))
                .body("errors.field", equalTo(List.of("guestId", "memoryMiB", "vcpus")));
        asOperator().contentType(ContentType.JSON).post("/api/v1/resizes").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("request"));
        // Reads validate their ids too: never a lookup with a key no event could have.
        asViewer().get("/api/v1/guests/{id}/recommendation", "a b").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("id"));
    }

    private static Object decisions() {
        return asViewer().queryParam("guest", GUEST).get("/api/v1/decisions").then().statusCode(200).extract().asString();
    }

    private static List<ResizeCommand> commands() {
        return kafka.events(ResizeCommand.class, c -> c.guestId().equals(GUEST));
    }
}
