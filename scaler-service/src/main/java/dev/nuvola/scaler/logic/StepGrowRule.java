package dev.nuvola.scaler.logic;

import java.util.OptionalLong;

import dev.nuvola.events.GuestMetrics;

/**
 * The walking skeleton's rule: when the working set passes a share of assigned memory, grow by a fixed
 * step. Plain code, no I/O. The recommender of issue #4 replaces it.
 *
 * @param threshold share of assigned memory above which the guest grows (0.85 = 85 %)
 * @param stepMiB   how much one grow adds
 */
public record StepGrowRule(double threshold, long stepMiB) {

    public StepGrowRule {
        if (threshold <= 0 || threshold >= 1) {
            throw new IllegalArgumentException("threshold must be a fraction between 0 and 1");
        }
        if (stepMiB <= 0) {
            throw new IllegalArgumentException("stepMiB must be positive");
        }
    }

    /** The memory the guest should have, when it should grow; empty when it is inside its band. */
    public OptionalLong decide(GuestMetrics sample) {
        if (sample.memoryUsedMiB() > threshold * sample.memoryAssignedMiB()) {
            return OptionalLong.of(sample.memoryAssignedMiB() + stepMiB);
        }
        return OptionalLong.empty();
    }
}
