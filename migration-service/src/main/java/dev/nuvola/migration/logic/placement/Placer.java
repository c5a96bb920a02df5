package dev.nuvola.migration.logic.placement;

import java.util.List;

/**
 * Nova-style filter scheduler: every host goes through the filters in order (the first that fails rules it
 * out), the survivors are weighed, the highest score wins; ties go to the smaller host id so that a decision
 * is reproducible.
 *
 * <p>A decision is one pass over the hosts into per-thread scratch arrays, allocating nothing per host, so that
 * 10,000 hosts take well under a millisecond and leave no garbage behind. The explanation of every candidate
 * ({@link Placement#candidates()}) is computed again, into arrays of its own, only when asked for: the same
 * inputs give the same verdicts.
 */
public final class Placer {
    /** How much each standard weigher counts (Nova's *_weight_multiplier). */
    public record Multipliers(double freeMemory, double balance, double recentFailures) {
        public static final Multipliers DEFAULT = new Multipliers(1.0, 1.0, 2.0);
    }

    /** Per-host working arrays of one evaluation. */
    static final class Verdicts {
        byte[] failedFilter = new byte[0];
        int[] passed = new int[0];
        double[][] weights;
        double[] score = new double[0];
        int passedCount;
        final double[] min;
        final double[] max;
        /** Index into {@link #passed} of the best candidate, or -1. */
        int best;

        Verdicts(int weighers) {
            weights = new double[weighers][0];
            min = new double[weighers];
            max = new double[weighers];
        }

        void ensure(int n) {
            if (failedFilter.length < n) {
                int size = Math.max(n, failedFilter.length * 2);
                failedFilter = new byte[size];
                passed = new int[size];
                score = new double[size];
                for (int w = 0; w < weights.length; w++) {
                    weights[w] = new double[size];
                }
            }
        }
    }

    private final Filter[] filters;
    private final Weigher[] weighers;
    private final double[] multipliers;
    private final ThreadLocal<Verdicts> scratch;
    /** The standard lists, in their order: evaluated through {@link Rules} directly. */
    private final boolean standardFilters;
    private final boolean standardWeighers;

    public Placer(List<Filter> filters, List<Weigher> weighers, double[] multipliers) {
        if (weighers.size() != multipliers.length) {
            throw new IllegalArgumentException("one multiplier per weigher");
        }
        if (filters.size() > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("too many filters");
        }
        this.filters = filters.toArray(Filter[]::new);
        this.weighers = weighers.toArray(Weigher[]::new);
        this.multipliers = multipliers.clone();
        this.scratch = ThreadLocal.withInitial(() -> new Verdicts(this.weighers.length));
        this.standardFilters = sameElements(filters, Filter.STANDARD);
        this.standardWeighers = sameElements(weighers, Weigher.STANDARD);
    }

    public static Placer standard(Multipliers m) {
        return new Placer(Filter.STANDARD, Weigher.STANDARD,
                new double[] {m.freeMemory(), m.balance(), m.recentFailures()});
    }

    public static Placer standard() {
        return standard(Multipliers.DEFAULT);
    }

    public Placement place(GuestToPlace guest, List<HostRoom> hosts) {
        Verdicts v = scratch.get();
        evaluate(guest, hosts, v);
        int chosen = v.best < 0 ? -1 : v.passed[v.best];
        return new Placement(this, guest, hosts, chosen, v.best < 0 ? 0 : v.score[v.best], v.passedCount);
    }

    /** Every host's verdict, in arrays of their own (for an explanation that outlives the next decision). */
    Verdicts explain(GuestToPlace guest, List<HostRoom> hosts) {
        Verdicts v = new Verdicts(weighers.length);
        evaluate(guest, hosts, v);
        return v;
    }

    Filter[] filters() {
        return filters;
    }

    Weigher[] weighers() {
        return weighers;
    }

    double[] multipliers() {
        return multipliers;
    }

    private byte firstFailure(GuestToPlace guest, HostRoom host) {
        for (int f = 0; f < filters.length; f++) {
            if (!filters[f].passes(guest, host)) {
                return (byte) f;
            }
        }
        return -1;
    }

    private static boolean sameElements(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private void evaluate(GuestToPlace guest, List<HostRoom> hosts, Verdicts v) {
        int n = hosts.size();
        v.ensure(n);
        byte[] failedFilter = v.failedFilter;
        int[] passed = v.passed;
        int passedCount = 0;
        for (int i = 0; i < n; i++) {
            HostRoom host = hosts.get(i);
            byte failed = standardFilters ? (byte) Rules.firstStandardFailure(guest, host) : firstFailure(guest, host);
            failedFilter[i] = failed;
            if (failed < 0) {
                passed[passedCount++] = i;
            }
        }
        // One pass over the survivors for every weigher (each host is read once), then the normalised sum.
        double[] score = v.score;
        double[] min = v.min;
        double[] max = v.max;
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        double[][] values = v.weights;
        for (int p = 0; p < passedCount; p++) {
            HostRoom host = hosts.get(passed[p]);
            for (int w = 0; w < weighers.length; w++) {
                double raw = standardWeighers ? Rules.standardWeight(w, guest, host) : weighers[w].raw(guest, host);
                values[w][p] = raw;
                if (raw < min[w]) {
                    min[w] = raw;
                }
                if (raw > max[w]) {
                    max[w] = raw;
                }
            }
        }
        for (int p = 0; p < passedCount; p++) {
            double sum = 0;
            for (int w = 0; w < weighers.length; w++) {
                double range = max[w] - min[w];
                // Nova's normalisation: equal values all weigh 0, so that a weigher with nothing to tell adds nothing.
                double normalised = range > 0 ? (values[w][p] - min[w]) / range : 0.0;
                values[w][p] = normalised;
                sum += multipliers[w] * normalised;
            }
            score[p] = sum;
        }
        int best = -1;
        for (int p = 0; p < passedCount; p++) {
            if (best < 0 || score[p] > score[best] || score[p] == score[best]
                    && hosts.get(passed[p]).hostId().compareTo(hosts.get(passed[best]).hostId()) < 0) {
                best = p;
            }
        }
        v.passedCount = passedCount;
        v.best = best;
    }
}
