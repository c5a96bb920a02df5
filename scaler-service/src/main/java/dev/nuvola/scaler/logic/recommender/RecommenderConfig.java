package dev.nuvola.scaler.logic.recommender;

import java.time.Duration;

/**
 * How the recommender sizes a guest. Plain values, validated once; {@link #defaults()} holds the settings
 * the issue names, and {@link #builder()} changes a few of them.
 *
 * <p>The band around a policy's target utilisation {@code T} (clamped to {@value #MIN_TARGET} ..
 * {@value #MAX_TARGET}): grow above {@code T + growHysteresis} (never above the emergency threshold),
 * shrink below {@code T × (1 − shrinkHysteresis)}. A guest inside the band is left alone.
 *
 * @param percentile            the percentile of the decaying window the target is built on (0.95 = p95)
 * @param safetyMargin          the margin added to the percentile and to the current use, as a fraction
 * @param safetyMarginMinMiB    the smallest margin in MiB, whatever the fraction gives
 * @param granularityMiB        memory targets are rounded up to a multiple of this
 * @param halfLife              a sample's weight in the window halves after this long
 * @param growHysteresis        the grow band sits this far above the target utilisation (absolute fraction)
 * @param shrinkHysteresis      the shrink band sits this share below the target utilisation (relative fraction)
 * @param emergencyThreshold    a working set at or above this share of assigned memory grows at once, past
 *                              any cooldown
 * @param emergencyGrowth       an emergency grows memory by at least this share of what is assigned
 * @param growCooldown          no ordinary grow this soon after a resize (an emergency grows anyway)
 * @param shrinkCooldown        no shrink this soon after a resize, nor this soon after the first sample
 * @param shrinkAfter           use must stay below the shrink band this long before a shrink
 * @param cpuGrowAfter          CPU use must stay above the grow band this long before vCPUs are added
 * @param trendWindow           the recent samples the trend (least-squares slope) and the recent peak use
 * @param trendMinSpan          the trend is trusted only when its samples span at least this long
 * @param trendMinSamples       ... and there are at least this many of them
 * @param trendMinFit           ... and the line explains at least this share of their variance (R²)
 * @param trendLeadTime         grow when the trend reaches the emergency threshold within this time
 * @param confidenceFullAfter   the confidence reaches 1 after this much observed time ...
 * @param confidenceFullSamples ... and this many samples, whichever comes later
 * @param lowerBoundPercentile  the percentile the lower bound is built on
 * @param upperBoundPercentile  the percentile the upper bound is built on
 */
public record RecommenderConfig(
        double percentile,
        double safetyMargin,
        long safetyMarginMinMiB,
        long granularityMiB,
        Duration halfLife,
        double growHysteresis,
        double shrinkHysteresis,
        double emergencyThreshold,
        double emergencyGrowth,
        Duration growCooldown,
        Duration shrinkCooldown,
        Duration shrinkAfter,
        Duration cpuGrowAfter,
        Duration trendWindow,
        Duration trendMinSpan,
        int trendMinSamples,
        double trendMinFit,
        Duration trendLeadTime,
        Duration confidenceFullAfter,
        int confidenceFullSamples,
        double lowerBoundPercentile,
        double upperBoundPercentile) {

    /** A policy's target utilisation is taken within these limits: 0 or 1 would make the band meaningless. */
    public static final double MIN_TARGET = 0.10;
    public static final double MAX_TARGET = 0.90;
    /** The longest trend window: a week. */
    public static final Duration MAX_TREND_WINDOW = Duration.ofDays(7);

    public RecommenderConfig {
        openFraction("percentile", percentile);
        nonNegative("safetyMargin", safetyMargin);
        if (safetyMargin > 10) {
            throw new IllegalArgumentException("safetyMargin must be a fraction (0.15 = 15 %), got " + safetyMargin);
        }
        if (safetyMarginMinMiB < 0) {
            throw new IllegalArgumentException("safetyMarginMinMiB must not be negative, got " + safetyMarginMinMiB);
        }
        if (granularityMiB < 1) {
            throw new IllegalArgumentException("granularityMiB must be at least 1, got " + granularityMiB);
        }
        positive("halfLife", halfLife);
        nonNegative("growHysteresis", growHysteresis);
        if (growHysteresis >= 1) {
            throw new IllegalArgumentException("growHysteresis must be a fraction below 1, got " + growHysteresis);
        }
        if (shrinkHysteresis <= 0 || shrinkHysteresis >= 1) {
            throw new IllegalArgumentException("shrinkHysteresis must be a fraction between 0 and 1, got "
                    + shrinkHysteresis);
        }
        openFraction("emergencyThreshold", emergencyThreshold);
        nonNegative("emergencyGrowth", emergencyGrowth);
        notNegative("growCooldown", growCooldown);
        notNegative("shrinkCooldown", shrinkCooldown);
        notNegative("shrinkAfter", shrinkAfter);
        notNegative("cpuGrowAfter", cpuGrowAfter);
        positive("trendWindow", trendWindow);
        if (trendWindow.compareTo(MAX_TREND_WINDOW) > 0) {
            // The window keeps its times in int milliseconds (RecentWindow), and a week of samples is no trend.
            throw new IllegalArgumentException("trendWindow must be at most " + MAX_TREND_WINDOW + ", got "
                    + trendWindow);
        }
        notNegative("trendMinSpan", trendMinSpan);
        if (trendMinSpan.compareTo(trendWindow) > 0) {
            throw new IllegalArgumentException("trendMinSpan (" + trendMinSpan + ") must not exceed trendWindow ("
                    + trendWindow + ")");
        }
        if (trendMinSamples < 3) {
            throw new IllegalArgumentException("trendMinSamples must be at least 3, got " + trendMinSamples);
        }
        if (Double.isNaN(trendMinFit) || trendMinFit < 0 || trendMinFit > 1) {
            throw new IllegalArgumentException("trendMinFit must be a fraction from 0 to 1, got " + trendMinFit);
        }
        notNegative("trendLeadTime", trendLeadTime);
        positive("confidenceFullAfter", confidenceFullAfter);
        if (confidenceFullSamples < 1) {
            throw new IllegalArgumentException("confidenceFullSamples must be at least 1, got " + confidenceFullSamples);
        }
        openFraction("lowerBoundPercentile", lowerBoundPercentile);
        openFraction("upperBoundPercentile", upperBoundPercentile);
        if (lowerBoundPercentile > percentile || percentile > upperBoundPercentile) {
            throw new IllegalArgumentException("percentiles must be ordered lowerBoundPercentile ("
                    + lowerBoundPercentile + ") <= percentile (" + percentile + ") <= upperBoundPercentile ("
                    + upperBoundPercentile + ")");
        }
    }

    /** The settings: p95 plus 15 % (at least 128 MiB), 128 MiB steps, grow fast, shrink slowly. */
    public static RecommenderConfig defaults() {
        return new RecommenderConfig(
                0.95, 0.15, 128, 128,
                Duration.ofMinutes(10),
                0.05, 0.25,
                0.95, 0.25,
                Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofSeconds(15),
                Duration.ofMinutes(5), Duration.ofMinutes(2), 6, 0.5, Duration.ofMinutes(5),
                Duration.ofHours(1), 120,
                0.50, 0.99);
    }

    public static Builder builder() {
        return new Builder(defaults());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A policy's target utilisation as the recommender uses it. */
    public double effectiveTarget(double policyTarget) {
        return Math.max(MIN_TARGET, Math.min(MAX_TARGET, policyTarget));
    }

    /** Above this share of what is assigned, the guest grows. */
    public double growAbove(double policyTarget) {
        return Math.min(effectiveTarget(policyTarget) + growHysteresis, emergencyThreshold);
    }

    /** Below this share, sustained, the guest shrinks. */
    public double shrinkBelow(double policyTarget) {
        return effectiveTarget(policyTarget) * (1 - shrinkHysteresis);
    }

    /** What the guest uses plus the safety margin, in MiB (not rounded). */
    public double withMargin(double usedMiB) {
        return usedMiB + Math.max(usedMiB * safetyMargin, safetyMarginMinMiB);
    }

    private static void openFraction(String name, double value) {
        if (Double.isNaN(value) || value <= 0 || value >= 1) {
            throw new IllegalArgumentException(name + " must be a fraction between 0 and 1 (exclusive), got " + value);
        }
    }

    private static void nonNegative(String name, double value) {
        if (Double.isNaN(value) || value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a duration of zero or more, got " + value);
        }
    }

    /** Changes a few settings of an existing configuration; {@link #build()} validates the result. */
    public static final class Builder {
        private double percentile;
        private double safetyMargin;
        private long safetyMarginMinMiB;
        private long granularityMiB;
        private Duration halfLife;
        private double growHysteresis;
        private double shrinkHysteresis;
        private double emergencyThreshold;
        private double emergencyGrowth;
        private Duration growCooldown;
        private Duration shrinkCooldown;
        private Duration shrinkAfter;
        private Duration cpuGrowAfter;
        private Duration trendWindow;
        private Duration trendMinSpan;
        private int trendMinSamples;
        private double trendMinFit;
        private Duration trendLeadTime;
        private Duration confidenceFullAfter;
        private int confidenceFullSamples;
        private double lowerBoundPercentile;
        private double upperBoundPercentile;

        private Builder(RecommenderConfig c) {
            percentile = c.percentile;
            safetyMargin = c.safetyMargin;
            safetyMarginMinMiB = c.safetyMarginMinMiB;
            granularityMiB = c.granularityMiB;
            halfLife = c.halfLife;
            growHysteresis = c.growHysteresis;
            shrinkHysteresis = c.shrinkHysteresis;
            emergencyThreshold = c.emergencyThreshold;
            emergencyGrowth = c.emergencyGrowth;
            growCooldown = c.growCooldown;
            shrinkCooldown = c.shrinkCooldown;
            shrinkAfter = c.shrinkAfter;
            cpuGrowAfter = c.cpuGrowAfter;
            trendWindow = c.trendWindow;
            trendMinSpan = c.trendMinSpan;
            trendMinSamples = c.trendMinSamples;
            trendMinFit = c.trendMinFit;
            trendLeadTime = c.trendLeadTime;
            confidenceFullAfter = c.confidenceFullAfter;
            confidenceFullSamples = c.confidenceFullSamples;
            lowerBoundPercentile = c.lowerBoundPercentile;
            upperBoundPercentile = c.upperBoundPercentile;
        }

        public Builder percentile(double v) { percentile = v; return this; }
        public Builder safetyMargin(double v) { safetyMargin = v; return this; }
        public Builder safetyMarginMinMiB(long v) { safetyMarginMinMiB = v; return this; }
        public Builder granularityMiB(long v) { granularityMiB = v; return this; }
        public Builder halfLife(Duration v) { halfLife = v; return this; }
        public Builder growHysteresis(double v) { growHysteresis = v; return this; }
        public Builder shrinkHysteresis(double v) { shrinkHysteresis = v; return this; }
        public Builder emergencyThreshold(double v) { emergencyThreshold = v; return this; }
        public Builder emergencyGrowth(double v) { emergencyGrowth = v; return this; }
        public Builder growCooldown(Duration v) { growCooldown = v; return this; }
        public Builder shrinkCooldown(Duration v) { shrinkCooldown = v; return this; }
        public Builder shrinkAfter(Duration v) { shrinkAfter = v; return this; }
        public Builder cpuGrowAfter(Duration v) { cpuGrowAfter = v; return this; }
        public Builder trendWindow(Duration v) { trendWindow = v; return this; }
        public Builder trendMinSpan(Duration v) { trendMinSpan = v; return this; }
        public Builder trendMinSamples(int v) { trendMinSamples = v; return this; }
        public Builder trendMinFit(double v) { trendMinFit = v; return this; }
        public Builder trendLeadTime(Duration v) { trendLeadTime = v; return this; }
        public Builder confidenceFullAfter(Duration v) { confidenceFullAfter = v; return this; }
        public Builder confidenceFullSamples(int v) { confidenceFullSamples = v; return this; }
        public Builder lowerBoundPercentile(double v) { lowerBoundPercentile = v; return this; }
        public Builder upperBoundPercentile(double v) { upperBoundPercentile = v; return this; }

        public RecommenderConfig build() {
            return new RecommenderConfig(percentile, safetyMargin, safetyMarginMinMiB, granularityMiB, halfLife,
                    growHysteresis, shrinkHysteresis, emergencyThreshold, emergencyGrowth, growCooldown,
                    shrinkCooldown, shrinkAfter, cpuGrowAfter, trendWindow, trendMinSpan, trendMinSamples,
                    trendMinFit, trendLeadTime, confidenceFullAfter, confidenceFullSamples, lowerBoundPercentile,
                    upperBoundPercentile);
        }
    }
}
