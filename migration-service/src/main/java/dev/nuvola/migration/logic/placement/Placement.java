package dev.nuvola.migration.logic.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nuvola.events.MigrationMethod;

/** A placement decision and what it was made from: every host's verdict, kept compact until explained. */
public final class Placement {
    /**
     * One host's verdict. A host that failed names the first filter it failed and why; one that passed has its
     * score and each weigher's normalised (0..1) contribution before its multiplier.
     */
    public record Candidate(String hostId, boolean passed, String failedFilter, String reason, Double score,
                            Map<String, Double> weights, MigrationMethod method, boolean chosen) {
    }

    private final GuestToPlace guest;
    private final List<HostRoom> hosts;
    private final Filter[] filters;
    private final Weigher[] weighers;
    private final double[] multipliers;
    private final byte[] failedFilter;
    private final int[] passed;
    private final int passedCount;
    private final double[][] normalised;
    private final double[] score;
    private final int best;

    Placement(GuestToPlace guest, List<HostRoom> hosts, Filter[] filters, Weigher[] weighers, double[] multipliers,
              byte[] failedFilter, int[] passed, int passedCount, double[][] normalised, double[] score, int best) {
        this.guest = guest;
        this.hosts = hosts;
        this.filters = filters;
        this.weighers = weighers;
        this.multipliers = multipliers;
        this.failedFilter = failedFilter;
        this.passed = passed;
        this.passedCount = passedCount;
        this.normalised = normalised;
        this.score = score;
        this.best = best;
    }

    public GuestToPlace guest() {
        return guest;
    }

    public boolean placed() {
        return best >= 0;
    }

    /** The chosen host's index in the list placement was given, or -1. */
    public int chosenIndex() {
        return best < 0 ? -1 : passed[best];
    }

    public Optional<HostRoom> chosen() {
        return best < 0 ? Optional.empty() : Optional.of(hosts.get(passed[best]));
    }

    /** How the guest moves to the chosen host; null when none was chosen. */
    public MigrationMethod method() {
        return best < 0 ? null : Methods.between(guest, hosts.get(passed[best]).capabilities());
    }

    public int passedCount() {
        return passedCount;
    }

    /** The choice and its score, or why no host fits: how many hosts each filter ruled out. */
    public String reason() {
        if (best >= 0) {
            return String.format("%s: best of %d candidates for %s (score %.3f, %s)",
                    hosts.get(passed[best]).hostId(), passedCount, guest.describe(), score[best], method());
        }
        if (hosts.isEmpty()) {
            return "no host fits " + guest.describe() + ": no hosts known";
        }
        int[] counts = new int[filters.length];
        int[] example = new int[filters.length];
        for (int i = hosts.size() - 1; i >= 0; i--) {
            counts[failedFilter[i]]++;
            example[failedFilter[i]] = i;
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
        List<Candidate> out = new ArrayList<>(hosts.size());
        List<Integer> order = new ArrayList<>(passedCount);
        for (int p = 0; p < passedCount; p++) {
            order.add(p);
        }
        order.sort(Comparator.<Integer>comparingDouble(p -> -score[p])
                .thenComparing(p -> hosts.get(passed[p]).hostId()));
        for (int p : order) {
            HostRoom host = hosts.get(passed[p]);
            Map<String, Double> weights = new LinkedHashMap<>();
            for (int w = 0; w < weighers.length; w++) {
                weights.put(weighers[w].name(), normalised[w][p]);
            }
            out.add(new Candidate(host.hostId(), true, null,
                    String.format("passed every filter; score %.3f", score[p]), score[p], weights,
                    Methods.between(guest, host.capabilities()), p == best));
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (failedFilter[i] >= 0) {
                Filter f = filters[failedFilter[i]];
                HostRoom host = hosts.get(i);
                out.add(new Candidate(host.hostId(), false, f.name(), f.why(guest, host), null, null, null, false));
            }
        }
        return out;
    }

    /** The weighers' names and multipliers, for an explanation's header. */
    public Map<String, Double> multipliers() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int w = 0; w < weighers.length; w++) {
            m.put(weighers[w].name(), multipliers[w]);
        }
        return m;
    }
}
