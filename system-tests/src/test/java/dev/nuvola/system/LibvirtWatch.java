package dev.nuvola.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads every agent's libvirt view in the background while a story plays, to prove what a look at the end
 * cannot: that a guest never ran on two hosts at once, and that a guest that must not be restarted was running
 * at every look. The agents are read from the highest number down: a guest moves away from a lower-numbered
 * host in the stories, and a move is seen on its target only after it left its source, so a round of reads
 * can miss a guest in between, but never see it twice.
 */
final class LibvirtWatch implements AutoCloseable {

    /** One round of reads: for each guest, the hosts on which libvirt says it runs. */
    record Round(long atNanos, Map<String, Set<Integer>> runningOn) {
    }

    private final FleetClient fleet;
    private final int agents;
    private final List<Round> rounds = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "libvirt-watch");
        t.setDaemon(true);
        return t;
    });

    LibvirtWatch(FleetClient fleet, int agents, long periodMillis) {
        this.fleet = fleet;
        this.agents = agents;
        timer.scheduleWithFixedDelay(this::round, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            Map<String, Set<Integer>> on = new HashMap<>();
            for (int i = agents; i >= 1; i--) {
                for (JsonNode g : fleet.agentGuests(i)) {
                    Set<Integer> hosts = on.computeIfAbsent(g.get("name").asText(), n -> new TreeSet<>());
                    if (g.get("running").asBoolean()) {
                        hosts.add(i);
                    }
                }
            }
            synchronized (this) {
                rounds.add(new Round(System.nanoTime(), on));
            }
        } catch (RuntimeException | AssertionError e) {
            synchronized (this) {
                errors.add(e.toString());
            }
        }
    }

    synchronized List<Round> rounds() {
        return List.copyOf(rounds);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** Every moment some guest ran on more than one host. */
    synchronized List<String> doubleRuns() {
        List<String> seen = new ArrayList<>();
        for (Round r : rounds) {
            r.runningOn().forEach((guest, hosts) -> {
                if (hosts.size() > 1) {
                    seen.add(guest + " running on hosts " + hosts);
                }
            });
        }
        return seen;
    }

    /** The rounds in which the guest was not running on exactly that host. */
    synchronized List<String> notRunningOnlyOn(String guest, int host) {
        List<String> seen = new ArrayList<>();
        for (Round r : rounds) {
            Set<Integer> hosts = r.runningOn().getOrDefault(guest, Set.of());
            if (!hosts.equals(Set.of(host))) {
                seen.add(guest + " running on " + hosts);
            }
        }
        return seen;
    }

    /** When libvirt first showed the guest running on the host. */
    synchronized Optional<Long> firstRunningOn(String guest, int host) {
        return rounds.stream().filter(r -> r.runningOn().getOrDefault(guest, Set.of()).contains(host))
                .map(Round::atNanos).findFirst();
    }

    /** When libvirt last showed the guest running on the host. */
    synchronized Optional<Long> lastRunningOn(String guest, int host) {
        return rounds.stream().filter(r -> r.runningOn().getOrDefault(guest, Set.of()).contains(host))
                .map(Round::atNanos).reduce((a, b) -> b);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
