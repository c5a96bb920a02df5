package dev.nuvola.devstack.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nuvola.devstack.platform.BearerHttp;
import dev.nuvola.devstack.platform.Platform;

/**
 * Plays a {@link DemoScenario} against a running {@link Platform} on its own thread: sets the fleet's policies
 * through inventory (operator token from the platform's key), then drives the scenario's load through the
 * agent's simulation API once a second, and tells what the platform does about it: the scaler's decisions on
 * the loaded guest, its size in inventory, and every migration with its end.
 */
public final class ScenarioPlayer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLEET_PATIENCE = Duration.ofSeconds(90);

    private final Platform platform;
    private final DemoScenario scenario;
    private final PrintStream out;
    private final int agents;
    private final BearerHttp http;
    private final CountDownLatch policiesSet = new CountDownLatch(1);
    private final Thread thread;

    private Instant lastDecision = Instant.EPOCH;
    private long lastSize = -1;
    private final Map<String, String> migrationStates = new HashMap<>();

    public ScenarioPlayer(Platform platform, int agents, DemoScenario scenario, PrintStream out) {
        this.platform = platform;
        this.agents = agents;
        this.scenario = scenario;
        this.out = out;
        this.http = new BearerHttp(platform.keys().token("operator", "demo-scenario", Duration.ofHours(12)));
        this.thread = new Thread(this::play, "nuvola-scenario");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether every guest of the fleet got its policy within {@code timeout}. */
    public boolean awaitPolicies(Duration timeout) throws InterruptedException {
        return policiesSet.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void play() {
        try {
            setPolicies();
            if (scenario.ramp().isEmpty()) {
                return;
            }
            DemoScenario.Ramp ramp = scenario.ramp().get();
            int agent = agentOf(ramp.guest());
            say(scenario.description() + ", starting in " + ramp.after().toSeconds() + " s");
            long began = System.nanoTime();
            boolean ended = false;
            while (!Thread.currentThread().isInterrupted()) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
                if (!ended) {
                    setLoad(agent, ramp.guest(), ramp.workingSetMiB(elapsed), ramp.cpuUsage());
                    if (elapsed.compareTo(ramp.end()) >= 0) {
                        ended = true;
                        say("the climb is over: " + ramp.guest() + " stays at " + ramp.toMiB() + " MiB");
                    }
                }
                tell(ramp.guest());
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Ctrl-C interrupts a call in flight: that is the end of the demo, not a failure to report.
            if (!Thread.currentThread().isInterrupted()) {
                say("the scenario stopped: " + e.getMessage());
            }
        }
    }

    /** Waits until inventory knows every guest the agents list, then gives each demo guest its policy. */
    private void setPolicies() throws InterruptedException {
        Map<String, JsonNode> guests = new LinkedHashMap<>();
        for (int i = 1; i <= agents; i++) {
            for (JsonNode g : get(agentUri(i, "/api/v1/guests"))) {
                guests.put(g.get("name").asText(), g);
            }
        }
        long end = System.nanoTime() + FLEET_PATIENCE.toNanos();
        for (String name : guests.keySet()) {
            while (send("GET", inventoryUri("/api/v1/guests/" + name), null).statusCode() != 200) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("inventory does not know " + name + " after "
                            + FLEET_PATIENCE.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        }
        List<String> set = new ArrayList<>();
        for (Map.Entry<String, JsonNode> g : guests.entrySet()) {
            DemoFleet.Policy policy = DemoFleet.policyFor(g.getKey()).orElse(null);
            if (policy == null) {
                continue;
            }
            policy = policy.within(g.getValue().get("maxMemoryMiB").asLong(), g.getValue().get("maxVcpus").asInt());
            HttpResponse<String> put = send("PUT", inventoryUri("/api/v1/guests/" + g.getKey() + "/policy"),
                    policy.toJson());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("policy of " + g.getKey() + " refused: " + put.body());
            }
            set.add(String.format(Locale.ROOT, "%s (priority %d%s)", g.getKey(), policy.priority(),
                    policy.migratable() ? "" : ", stays put" + (policy.neverRestart() ? ", never restarted" : "")));
        }
        say("policies set through inventory: " + String.join(", ", set));
        policiesSet.countDown();
    }

    private int agentOf(String guest) {
        for (int i = 1; i <= agents; i++) {
            for (JsonNode g : get(agentUri(i, "/api/v1/guests"))) {
                if (g.get("name").asText().equals(guest)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no host runs " + guest);
    }

    private void setLoad(int agent, String guest, long workingSetMiB, double cpuUsage) {
        HttpResponse<String> put = send("PUT", agentUri(agent, "/api/v1/simulation/guests/" + guest + "/load"),
                String.format(Locale.ROOT, "{\"workingSetMiB\":%d,\"cpuUsage\":%.2f}", workingSetMiB, cpuUsage));
        if (put.statusCode() != 200) {
            throw new IllegalStateException("load of " + guest + " refused: " + put.body());
        }
    }

    /** A line of the story and when it happened, by the clock of the service that says so. */
    private record Line(Instant at, String text) {
    }

    /**
     * Says what is new: the scaler's decisions on the guest, the migrations, the guest's size, in the order they
     * happened (the services are read one after the other, so reading order is not event order).
     */
    private void tell(String guest) {
        List<Line> lines = new ArrayList<>();
        List<JsonNode> decisions = new ArrayList<>();
        get(platform.service("scaler-service").baseUri().resolve("/api/v1/decisions?guest=" + guest + "&limit=20"))
                .forEach(decisions::add);
        // The scaler lists its decisions newest first.
        Collections.reverse(decisions);
        for (JsonNode d : decisions) {
            Instant at = Instant.parse(d.get("decidedAt").asText());
            if (at.isAfter(lastDecision)) {
                lastDecision = at;
                lines.add(new Line(at, "scaler: " + guest + " " + d.get("action").asText()
                        + (d.hasNonNull("targetMemoryMiB") ? " to " + d.get("targetMemoryMiB").asLong() + " MiB" : "")
                        + ", because " + d.get("reason").asText()));
            }
        }
        for (JsonNode m : get(platform.service("migration-service").baseUri().resolve("/api/v1/migrations"))) {
            String id = m.get("id").asText();
            String state = m.get("state").asText();
            if (!state.equals(migrationStates.put(id, state))) {
                Instant at = Instant.parse(m.get("updatedAt").asText());
                Duration took = Duration.between(Instant.parse(m.get("requestedAt").asText()), at);
                lines.add(new Line(at, String.format(Locale.ROOT, "migration of %s from %s to %s (%s, %s): %s%s",
                        m.get("guestId").asText(), m.get("sourceHostId").asText(),
                        m.path("targetHostId").asText("a host to be chosen"), m.path("method").asText("-"),
                        m.get("requestedBy").asText(), state,
                        state.equals("COMPLETED") ? String.format(Locale.ROOT, " after %.1f s", took.toMillis() / 1e3)
                                : state.equals("REFUSED") || state.equals("ROLLED_BACK")
                                ? ": " + m.path("reason").asText() : "")));
            }
        }
        JsonNode inInventory = get(inventoryUri("/api/v1/guests/" + guest));
        long size = inInventory.get("memoryMiB").asLong();
        if (size != lastSize) {
            if (lastSize >= 0) {
                lines.add(new Line(Instant.now(), String.format(Locale.ROOT,
                        "%s is now %d MiB (was %d) on %s, resized live: still running", guest, size, lastSize,
                        inInventory.get("hostId").asText())));
            }
            lastSize = size;
        }
        lines.sort(Comparator.comparing(Line::at));
        lines.forEach(line -> say(line.text()));
    }

    private URI inventoryUri(String path) {
        return platform.service("inventory-service").baseUri().resolve(path);
    }

    private URI agentUri(int i, String path) {
        return platform.agent(i).baseUri().resolve(path);
    }

    private JsonNode get(URI uri) {
        HttpResponse<String> response = send("GET", uri, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " answered no JSON: " + response.body(), e);
        }
    }

    /** Every call carries the operator token: inventory needs it, and the other services accept it. */
    private HttpResponse<String> send(String method, URI uri, String json) {
        return http.send(method, uri, json);
    }

    private void say(String line) {
        out.println("[story] " + line);
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
