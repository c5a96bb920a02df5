package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.Platform;
import dev.nuvola.devstack.platform.PlatformHttp;

/**
 * SPEC rule 3 under a crash of the migration service: three migrations between two real agents (libvirt's test
 * driver, save → move → restore through their shared spool), migration-service killed with SIGKILL while they
 * run, then started again. Every saga must end COMPLETED or ROLLED_BACK from what the database and the broker
 * hold, and every guest must run on exactly one host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = PlatformHttp.client();
    private static final List<String> MOVED = List.of("mc-1", "mc-2", "mc-3");

    static Platform platform;
    static Path spool;

    @BeforeAll
    static void start() throws Exception {
        Path work = AgentUnderTest.freshWorkDir("migration-crash");
        Path a = work.resolve("host-1.xml");
        Path b = work.resolve("host-2.xml");
        List<NodeFile.Domain> onA = new ArrayList<>();
        for (String g : MOVED) {
            onA.add(new NodeFile.Domain(g, 1024, 4096, 1, 2));
        }
        onA.add(new NodeFile.Domain("mc-stays", 1024, 4096, 1, 2));
        Files.writeString(a, NodeFile.xml(16384, 16, onA));
        Files.writeString(b, NodeFile.xml(16384, 16, List.of(new NodeFile.Domain("mc-other", 1024, 4096, 1, 2))));
        platform = Platform.start(new Platform.Options(AgentUnderTest.repoRoot(), "::1", 2, 0, 0,
                i -> i == 1 ? a : b, work, Map.of()), System.out);
        spool = work.resolve("migration-spool");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static String token() {
        return "Bearer " + platform.keys().token("operator", "crash-test", Duration.ofMinutes(30));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", token()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(URI uri) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri));
        assertThat(response.statusCode()).as("GET " + uri + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Which hosts run the guest now, from the agents' own view of libvirt. */
    private static List<Integer> hostsRunning(String guest) throws Exception {
        List<Integer> hosts = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            for (JsonNode g : get(URI.create(platform.agent(i).baseUri() + "/api/v1/guests"))) {
                if (g.path("name").asText().equals(guest) && g.path("running").asBoolean()) {
                    hosts.add(i);
                }
            }
        }
        return hosts;
    }

    @Test
    @Order(1)
    void sagasInterruptedByAKillEndCompletedOrRolledBackAndEveryGuestRunsOnExactlyOneHost() throws Exception {
        URI migrations = URI.create(platform.service("migration-service").baseUri() + "/api/v1/migrations");
        // The migration service plans from the hosts' statuses: wait until it knows both hosts.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(platform.service("migration-service").baseUri()
                    + "/api/v1/placement?memoryMiB=1024&vcpus=1")));
            return r.statusCode() == 200 && r.body().contains(Platform.hostId(2));
        });
        List<String> ids = new ArrayList<>();
        for (String guest : MOVED) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(migrations).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"guestId\":\"" + guest + "\",\"targetHostId\":\""
                            + Platform.hostId(2) + "\",\"reason\":\"crash test\"}")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(JSON.readTree(created.body()).path("id").asText(JSON.readTree(created.body()).path("migrationId").asText()));
        }
        // Killed while the sagas are in flight: the states just before the kill are printed.
        List<String> before = new ArrayList<>();
        for (String id : ids) {
            before.add(get(URI.create(migrations + "/" + id)).path("state").asText());
        }
        platform.service("migration-service").kill();
        System.out.println("[migration-crash] sagas when migration-service was killed: " + before);
        platform.restart("migration-service");

        Set<String> ends = Set.of("COMPLETED", "ROLLED_BACK");
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ends.contains(get(URI.create(migrations + "/" + id)).path("state").asText()));
        }
        for (String guest : MOVED) {
            assertThat(hostsRunning(guest)).as(guest).hasSize(1);
        }
        assertThat(hostsRunning("mc-stays")).containsExactly(1);
        assertThat(hostsRunning("mc-other")).containsExactly(2);
        List<String> states = new ArrayList<>();
        for (String id : ids) {
            states.add(get(URI.create(migrations + "/" + id)).path("state").asText());
        }
        System.out.println("[migration-crash] sagas after the kill and restart: " + states);
    }

    /** A step that fails on a real agent: the saga compensates and the guest keeps running on its source. */
    @Test
    @Order(2)
    void aTransferThatFailsOnTheSourceIsRolledBackAndTheGuestRunsWhereItWas() throws Exception {
        URI migrations = URI.create(platform.service("migration-service").baseUri() + "/api/v1/migrations");
        // The spool is where the source saves the guest; a plain file in its place makes the save fail.
        Path moved = spool.resolveSibling("migration-spool.away");
        Files.move(spool, moved);
        Files.writeString(spool, "not a directory");
        try {
            HttpResponse<String> created = send(HttpRequest.newBuilder(migrations).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"guestId\":\"mc-stays\",\"targetHostId\":\""
                            + Platform.hostId(2) + "\",\"reason\":\"failure test\"}")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = JSON.readTree(created.body()).path("id").asText();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get(URI.create(migrations + "/" + id)).path("state").asText().equals("ROLLED_BACK"));
            JsonNode saga = get(URI.create(migrations + "/" + id));
            assertThat(saga.path("failedIn").asText()).isEqualTo("TRANSFERRING");
            assertThat(saga.path("reason").asText()).contains("TRANSFER failed");
        } finally {
            Files.delete(spool);
            Files.move(moved, spool);
        }
        assertThat(hostsRunning("mc-stays")).containsExactly(1);
    }
}
