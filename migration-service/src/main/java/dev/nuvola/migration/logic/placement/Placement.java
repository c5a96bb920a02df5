package dev.nuvola.migration.logic.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nuvola.events.MigrationMethod;

/**
 * A placement decision; its explanation (every host's verdict) is worked out when asked for, from the host list
 * it was made from, which must not change meanwhile.
 */
public final class Placement {
    /**
     * One host's verdict. A host that failed names the first filter it failed and why; one that passed has its
     * score and each weigher's normalised (0..1) value before its multiplier.
     */
    public record Candidate(String hostId, boolean passed, String failedFilter, String reason, Double score,
                            Map<String, Double> weights, MigrationMethod method, boolean chosen) {
    }

    private final Placer placer;
    private final GuestToPlace guest;
    private final List<HostRoom> hosts;
    private final int chosen;
    private final double score;
    private final int passedCount;

    Placement(Placer placer, GuestToPlace guest, List<HostRoom> hosts, int chosen, double score, int passedCount) {
        this.placer = placer;
        this.guest = guest;
        this.hosts = hosts;
        this.chosen = chosen;
        this.score = score;
        this.passedCount = passedCount;
    }

    public GuestToPlace guest() {
        return guest;
    }

    public boolean placed() {
        return chosen >= 0;
    }

    /** The chosen host's index in the list placement was given, or -1. */
    public int chosenIndex() {
        return chosen;
    }

    public Optional<HostRoom> chosen() {
        return chosen < 0 ? Optional.empty() : Optional.of(hosts.get(chosen));
    }

    /** How the guest moves to the chosen host; null when none was chosen. */
    public MigrationMethod method() {
        return chosen < 0 ? null : Methods.between(guest, hosts.get(chosen).capabilities());
    }

    public int passedCount() {
        return passedCount;
    }

    /** The choice and its score, or why no host fits: how many hosts each filter ruled out, with an example. */
    public String reason() {
        if (chosen >= 0) {
            return hosts.get(chosen).hostId() + ": best of " + passedCount + " candidates for " + guest.describe()
                    + " (score " + round(score) + ", " + method() + ")";
        }
        if (hosts.isEmpty()) {
            return "no host fits " + guest.describe() + ": no hosts known";
        }
        Filter[] filters = placer.filters();
        Placer.Verdicts v = placer.explain(guest, hosts);
        int[] counts = new int[filters.length];
        int[] example = new int[filters.length];
        for (int i = hosts.size() - 1; i >= 0; i--) {
            counts[v.failedFilter[i]]++;
            example[v.failedFilter[i]] = i;
        }
        StringBuilder why = new StringBuilder("no host fits ").append(guest.describe()).append(':');
        String sep = " ";
        for (int f = 0; f < filters.length; f++) {
            if (counts[f] > 0) {
                HostRoom e = hosts.get(example[f]);
                why.append(sep).append(counts[f]).append(counts[f] == 1 ? " host" : " hosts").append(" failed ")
                        .append(filters[f].name()).append(" (e.g. ").append(e.hostId()).append(": ")
                        .append(filters[f].why(guest, e)).append(')');
                sep = "; ";
            }
        }
        return why.toString();
    }

    /** Every host's verdict: the passed ones by score (best first), then the failed ones. */
    public List<Candidate> candidates() {
        Placer.Verdicts v = placer.explain(guest, hosts);
        Filter[] filters = placer.filters();
        Weigher[] weighers = placer.weighers();
        List<Candidate> out = new ArrayList<>(hosts.size());
        List<Integer> order = new ArrayList<>(v.passedCount);
        for (int p = 0; p < v.passedCount; p++) {
            order.add(p);
        }
        order.sort(Comparator.<Integer>comparingDouble(p -> -v.score[p])
                .thenComparing(p -> hosts.get(v.passed[p]).hostId()));
        for (int p : order) {
            HostRoom host = hosts.get(v.passed[p]);
            Map<String, Double> weights = new LinkedHashMap<>();
            for (int w = 0; w < weighers.length; w++) {
                weights.put(weighers[w].name(), v.weights[w][p]);
            }
            out.add(new Candidate(host.hostId(), true, null, "passed every filter; score " + round(v.score[p]),
                    v.score[p], weights, Methods.between(guest, host.capabilities()), p == v.best));
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (v.failedFilter[i] >= 0) {
                Filter f = filters[v.failedFilter[i]];
                HostRoom host = hosts.get(i);
                out.add(new Candidate(host.hostId(), false, f.name(), f.why(guest, host), null, null, null, false));
            }
        }
        return out;
    }

    /** The weighers' names and multipliers, for an explanation's header. */
    public Map<String, Double> multipliers() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int w = 0; w < placer.weighers().length; w++) {
            m.put(placer.weighers()[w].name(), placer.multipliers()[w]);
        }
        return m;
    }

    private static String round(double value) {
        return Double.toString(Math.round(value * 1000) / 1000.0);
    }
}
