package dev.nuvola.scaler.logic.recommender;

import java.util.Arrays;

/**
 * A histogram of non-negative values whose samples lose half their weight every half-life, so that
 * percentiles follow recent use and forget old use (the idea of the Kubernetes VPA recommender's decaying
 * histogram). Instead of shrinking every old weight on each sample, each new sample weighs
 * {@code 2^((t − reference) / halfLife)}: the ratios are the same, and the weights are rebased now and then
 * so they stay finite.
 *
 * <p>Buckets grow exponentially: bucket 0 holds {@code [0, first)}, bucket {@code i ≥ 1} holds
 * {@code [first·r^(i−1), first·r^i)} with {@code r = 1.02}. Only the buckets between the lowest and the highest
 * one in use are stored, so a guest whose use spans a factor of two needs about 35 of them. Each bucket also
 * keeps the largest value it received, and a percentile is the smaller of that and the bucket's end: exact for
 * steady use, never more than 2 % above the true value, and never below it.
 *
 * <p>Not thread-safe; {@link GuestRecommender} guards it.
 */
final class DecayingHistogram {
    static final double RATIO = 1.02;
    private static final double LOG_RATIO = Math.log(RATIO);
    /** Weights are rebased before they pass 2^60. */
    private static final double MAX_EXPONENT = 60;
    /** Buckets at either end weighing less than this share of the total are dropped. */
    private static final double NEGLIGIBLE = 1e-9;

    private final double first;
    private final double halfLifeSeconds;

    private double[] weights = new double[0];
    private double[] maxima = new double[0];
    /** Bucket index of {@code weights[0]}. */
    private int offset;
    private double total;
    private double referenceSeconds = Double.NaN;

    /**
     * @param first           the end of the first bucket: the resolution near zero (1 MiB, 0.01 vCPU)
     * @param halfLifeSeconds how long a sample takes to lose half its weight
     */
    DecayingHistogram(double first, double halfLifeSeconds) {
        if (!(first > 0) || !(halfLifeSeconds > 0)) {
            throw new IllegalArgumentException("first and halfLifeSeconds must be positive");
        }
        this.first = first;
        this.halfLifeSeconds = halfLifeSeconds;
    }

    /** Adds a value observed at {@code atSeconds} (seconds since the epoch; later samples weigh more). */
    void add(double value, double atSeconds) {
        if (Double.isNaN(value) || value < 0 || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value must be a non-negative number, got " + value);
        }
        if (Double.isNaN(referenceSeconds)) {
            referenceSeconds = atSeconds;
        }
        double exponent = (atSeconds - referenceSeconds) / halfLifeSeconds;
        if (exponent > MAX_EXPONENT) {
            rebase(atSeconds);
            exponent = 0;
        }
        double weight = Math.pow(2, exponent);
        int bucket = bucketOf(value);
        ensure(bucket);
        int i = bucket - offset;
        weights[i] += weight;
        maxima[i] = Math.max(maxima[i], value);
        total += weight;
        trim();
    }

    boolean isEmpty() {
        return weights.length == 0;
    }

    /**
     * The smallest value at or below which {@code p} of the weight lies (rounded up to the bucket), or 0 when
     * empty.
     */
    double percentile(double p) {
        if (weights.length == 0) {
            return 0;
        }
        double threshold = p * total;
        double cumulative = 0;
        int last = weights.length - 1;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (weights[i] > 0 && cumulative >= threshold) {
                return Math.min(maxima[i], bucketEnd(offset + i));
            }
        }
        return Math.min(maxima[last], bucketEnd(offset + last));
    }

    /** The number of stored buckets (for tests: the histogram stays small). */
    int storedBuckets() {
        return weights.length;
    }

    int bucketOf(double value) {
        if (value < first) {
            return 0;
        }
        return 1 + (int) Math.floor(Math.log(value / first) / LOG_RATIO);
    }

    double bucketEnd(int bucket) {
        return first * Math.pow(RATIO, bucket);
    }

    private void rebase(double atSeconds) {
        double factor = Math.pow(2, -(atSeconds - referenceSeconds) / halfLifeSeconds);
        total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= factor;
            total += weights[i];
        }
        referenceSeconds = atSeconds;
    }

    private void ensure(int bucket) {
        if (weights.length == 0) {
            weights = new double[1];
            maxima = new double[1];
            offset = bucket;
            return;
        }
        if (bucket < offset) {
            int grow = offset - bucket;
            double[] w = new double[weights.length + grow];
            double[] m = new double[weights.length + grow];
            System.arraycopy(weights, 0, w, grow, weights.length);
            System.arraycopy(maxima, 0, m, grow, maxima.length);
            weights = w;
            maxima = m;
            offset = bucket;
        } else if (bucket >= offset + weights.length) {
            int length = bucket - offset + 1;
            weights = Arrays.copyOf(weights, length);
            maxima = Arrays.copyOf(maxima, length);
        }
    }

    private void trim() {
        double negligible = total * NEGLIGIBLE;
        int from = 0;
        int to = weights.length;
        double dropped = 0;
        while (from < to - 1 && weights[from] <= negligible) {
            dropped += weights[from++];
        }
        while (to - 1 > from && weights[to - 1] <= negligible) {
            dropped += weights[--to];
        }
        if (from > 0 || to < weights.length) {
            weights = Arrays.copyOfRange(weights, from, to);
            maxima = Arrays.copyOfRange(maxima, from, to);
            offset += from;
            total -= dropped;
        }
    }
}
