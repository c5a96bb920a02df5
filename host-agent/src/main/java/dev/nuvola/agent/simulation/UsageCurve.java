package dev.nuvola.agent.simulation;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A simulated guest's working set over time, in MiB, from the moment the scenario starts. The demo and
 * the end-to-end tests drive real decisions with these; a real guest never has one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "curve")
@JsonSubTypes({
        @JsonSubTypes.Type(value = UsageCurve.Steady.class, name = "steady"),
        @JsonSubTypes.Type(value = UsageCurve.Ramp.class, name = "ramp"),
        @JsonSubTypes.Type(value = UsageCurve.Spike.class, name = "spike"),
        @JsonSubTypes.Type(value = UsageCurve.Wave.class, name = "wave")})
public sealed interface UsageCurve {

    long workingSetMiB(Duration elapsed);

    /** Busy fraction of the guest's vCPUs; constant per guest in a scenario. */
    double cpuUsage();

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }

    private static void requireFraction(double cpuUsage) {
        if (cpuUsage < 0 || cpuUsage > 1) {
            throw new IllegalArgumentException("cpuUsage must be a fraction from 0.0 to 1.0, got " + cpuUsage);
        }
    }

    /** The same working set all along. */
    record Steady(long workingSetMiB, double cpuUsage) implements UsageCurve {
        public Steady {
            requireNonNegative("workingSetMiB", workingSetMiB);
            requireFraction(cpuUsage);
        }

        @Override
        public long workingSetMiB(Duration elapsed) {
            return workingSetMiB;
        }
    }

    /** From one working set to another in a straight line, then flat: evening traffic climbing. */
    record Ramp(long fromMiB, long toMiB, long afterSeconds, long overSeconds, double cpuUsage) implements UsageCurve {
        public Ramp {
            requireNonNegative("fromMiB", fromMiB);
            requireNonNegative("toMiB", toMiB);
            requireNonNegative("afterSeconds", afterSeconds);
            if (overSeconds <= 0) {
                throw new IllegalArgumentException("overSeconds must be positive, got " + overSeconds);
            }
            requireFraction(cpuUsage);
        }

        @Override
        public long workingSetMiB(Duration elapsed) {
            double t = (elapsed.toMillis() / 1000.0 - afterSeconds) / overSeconds;
            double share = Math.max(0, Math.min(1, t));
            return Math.round(fromMiB + (toMiB - fromMiB) * share);
        }
    }

    /** A base load with one burst: a flash crowd. */
    record Spike(long baseMiB, long peakMiB, long atSeconds, long forSeconds, double cpuUsage) implements UsageCurve {
        public Spike {
            requireNonNegative("baseMiB", baseMiB);
            requireNonNegative("peakMiB", peakMiB);
            requireNonNegative("atSeconds", atSeconds);
            requireNonNegative("forSeconds", forSeconds);
            requireFraction(cpuUsage);
        }

        @Override
        public long workingSetMiB(Duration elapsed) {
            long s = elapsed.toSeconds();
            return s >= atSeconds && s < atSeconds + forSeconds ? peakMiB : baseMiB;
        }
    }

    /** A daily rhythm, compressed to {@code periodSeconds}: lowest at the start, highest half a period later. */
    record Wave(long minMiB, long maxMiB, long periodSeconds, double cpuUsage) implements UsageCurve {
        public Wave {
            requireNonNegative("minMiB", minMiB);
            if (maxMiB < minMiB) {
                throw new IllegalArgumentException("maxMiB must not be below minMiB");
            }
            if (periodSeconds <= 0) {
                throw new IllegalArgumentException("periodSeconds must be positive, got " + periodSeconds);
            }
            requireFraction(cpuUsage);
        }

        @Override
        public long workingSetMiB(Duration elapsed) {
            double phase = 2 * Math.PI * (elapsed.toMillis() / 1000.0) / periodSeconds;
            return Math.round(minMiB + (maxMiB - minMiB) * (1 - Math.cos(phase)) / 2);
        }
    }
}
