package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.platform.BearerHttp;
import dev.nuvola.devstack.platform.Platform;

/**
 * The story tests' platform and their way into it: its REST APIs over [::1], every call with an operator token
 * signed by the platform's own key (reads accept it too), as an operator of the demo would call them.
 */
final class FleetClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Platform platform;
    private final BearerHttp http;

    private FleetClient(Platform platform) {
        this.platform = platform;
        this.http = new BearerHttp(platform.keys().token("operator", "system-test", Duration.ofHours(1)));
    }

    /** The whole platform over [::1] with {@code agents} simulated hosts; logs stay in {@code work}. */
    static FleetClient start(Path work, int agents, IntFunction<Path> nodeFile) {
        return new FleetClient(Platform.start(new Platform.Options(AgentUnderTest.repoRoot(), "::1", agents, 0, 0,
                nodeFile, work, Map.of()), System.out));
    }

    Platform platform() {
        return platform;
    }

    @Override
    public void close() {
        platform.close();
    }

    URI inventory(String path) {
        return platform.service("inventory-service").baseUri().resolve(path);
    }

    URI scaler(String path) {
        return platform.service("scaler-service").baseUri().resolve(path);
    }

    URI migration(String path) {
        return platform.service("migration-service").baseUri().resolve(path);
    }

    URI agent(int i, String path) {
        return platform.agent(i).baseUri().resolve(path);
    }

    JsonNode get(URI uri) {
        HttpResponse<String> response = send("GET", uri, null);
        assertThat(response.statusCode()).as("GET " + uri + ": " + response.body()).isEqualTo(200);
        return read(response.body());
    }

    int status(URI uri) {
        return send("GET", uri, null).statusCode();
    }

    /** A JSON request with the operator's token. */
    HttpResponse<String> send(String method, URI uri, String json) {
        return http.send(method, uri, json);
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** libvirt's view, read by agent i from its driver at the moment of the request. */
    List<JsonNode> agentGuests(int i) {
        JsonNode list = get(agent(i, "/api/v1/guests"));
        return StreamSupport.stream(list.spliterator(), false).toList();
    }

    Optional<JsonNode> agentGuest(int i, String name) {
        return agentGuests(i).stream().filter(g -> g.get("name").asText().equals(name)).findFirst();
    }

    /** The agents whose libvirt lists {@code name} running. */
    List<Integer> runningOn(String name, int agents) {
        List<Integer> on = new ArrayList<>();
        for (int i = 1; i <= agents; i++) {
            if (agentGuest(i, name).map(g -> g.get("running").asBoolean()).orElse(false)) {
                on.add(i);
            }
        }
        return on;
    }

    void setLoad(int agent, String guest, long workingSetMiB, double cpuUsage) {
        HttpResponse<String> put = send("PUT", agent(agent, "/api/v1/simulation/guests/" + guest + "/load"),
                "{\"workingSetMiB\":" + workingSetMiB + ",\"cpuUsage\":" + cpuUsage + "}");
        assertThat(put.statusCode()).as("load of " + guest + ": " + put.body()).isEqualTo(200);
    }

    /** Sets the guest's policy through inventory, which publishes it to the scaler and migration-service. */
    JsonNode setPolicy(String guest, String policyJson) {
        HttpResponse<String> put = send("PUT", inventory("/api/v1/guests/" + guest + "/policy"), policyJson);
        assertThat(put.statusCode()).as("policy of " + guest + ": " + put.body()).isEqualTo(200);
        return read(put.body());
    }

    /** Waits until inventory serves every one of the guests (learnt from the agents' host status). */
    void awaitInventoryKnows(List<String> guests) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> guests.stream().allMatch(g -> status(inventory("/api/v1/guests/" + g)) == 200));
    }

    /** Every saga migration-service holds for the guest, oldest first. */
    List<JsonNode> migrationsOf(String guest) {
        JsonNode all = get(migration("/api/v1/migrations"));
        return StreamSupport.stream(all.spliterator(), false)
                .filter(m -> m.get("guestId").asText().equals(guest))
                .sorted((a, b) -> a.get("requestedAt").asText().compareTo(b.get("requestedAt").asText()))
                .toList();
    }

    /** The scaler's decisions about the guest, newest first. */
    List<JsonNode> decisionsOf(String guest) {
        JsonNode all = get(scaler("/api/v1/decisions?guest=" + guest));
        return StreamSupport.stream(all.spliterator(), false).toList();
    }
}
