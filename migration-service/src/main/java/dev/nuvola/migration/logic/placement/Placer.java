package dev.nuvola.migration.logic.placement;

import java.util.List;

/**
 * Nova-style filter scheduler: every host goes through the filters in order (the first that fails rules it
 * out), the survivors are weighed, the highest score wins; ties go to the smaller host id so that a decision
 * is reproducible. One pass over the hosts, with no allocation per host, so that 10,000 hosts take well under
 * a millisecond; the explanation of each candidate is built only when asked for ({@link Placement#candidates()}).
 */
public final class Placer {
    /** How much each standard weigher counts (Nova's *_weight_multiplier). */
    public record Multipliers(double freeMemory, double balance, double recentFailures) {
        public static final Multipliers DEFAULT = new Multipliers(1.0, 1.0, 2.0);
    }

    private final Filter[] filters;
    private final Weigher[] weighers;
    private final double[] multipliers;

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
    }

    public static Placer standard(Multipliers m) {
        return new Placer(Filter.STANDARD, Weigher.STANDARD,
                new double[] {m.freeMemory(), m.balance(), m.recentFailures()});
    }

    public static Placer standard() {
        return standard(Multipliers.DEFAULT);
    }

    public Placement place(GuestToPlace guest, List<HostRoom> hosts) {
        int n = hosts.size();
        byte[] failedFilter = new byte[n];
        int[] passed = new int[n];
        int passedCount = 0;
        for (int i = 0; i < n; i++) {
            HostRoom host = hosts.get(i);
            byte failed = -1;
            for (int f = 0; f < filters.length; f++) {
                if (!filters[f].passes(guest, host)) {
                    failed = (byte) f;
                    break;
                }
            }
            failedFilter[i] = failed;
            if (failed < 0) {
                passed[passedCount++] = i;
            }
        }
        double[][] normalised = new double[weighers.length][passedCount];
        double[] score = new double[passedCount];
        for (int w = 0; w < weighers.length; w++) {
            double[] values = normalised[w];
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < passedCount; p++) {
                double v = weighers[w].raw(guest, hosts.get(passed[p]));
                values[p] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double range = max - min;
            for (int p = 0; p < passedCount; p++) {
                // Nova's normalisation: equal values all weigh 0, so that a weigher with nothing to tell adds nothing.
                values[p] = range > 0 ? (values[p] - min) / range : 0.0;
                score[p] += multipliers[w] * values[p];
            }
        }
        int best = -1;
        for (int p = 0; p < passedCount; p++) {
            if (best < 0 || score[p] > score[best] || score[p] == score[best]
                    && hosts.get(passed[p]).hostId().compareTo(hosts.get(passed[best]).hostId()) < 0) {
                best = p;
            }
        }
        return new Placement(guest, hosts, filters, weighers, multipliers, failedFilter, passed, passedCount,
                normalised, score, best);
    }
}
