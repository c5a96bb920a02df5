package dev.nuvola.scaler.logic.recommender;

import java.util.Objects;

import dev.nuvola.events.GuestSize;

/**
 * A resize the recommender asks for: memory, vCPUs or both. A dimension it leaves alone keeps its current
 * value in {@link #to()}.
 *
 * @param kind   why, in one word; when memory and vCPUs change for different reasons, the more urgent one
 * @param from   the guest's size in the sample the decision was based on
 * @param to     the size it should have
 * @param reason for operators: the numbers behind the decision
 */
public record Action(Kind kind, GuestSize from, GuestSize to, String reason) {

    /** Ordered from the most urgent. */
    public enum Kind {
        /** The working set is at or above the emergency threshold: grow now, whatever the cooldown. */
        EMERGENCY_GROW,
        /** Use is above the grow band. */
        GROW,
        /** Use is inside the band but climbing: it will reach the emergency threshold within the lead time. */
        TREND_GROW,
        /** Use has stayed below the shrink band long enough, and the last resize is long enough ago. */
        SHRINK;

        public boolean isGrow() {
            return this != SHRINK;
        }
    }

    public Action {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        if (from.equals(to)) {
            throw new IllegalArgumentException("an action must change the size, got " + from + " to " + to);
        }
    }

    public boolean changesMemory() {
        return from.memoryMiB() != to.memoryMiB();
    }

    public boolean changesVcpus() {
        return from.vcpus() != to.vcpus();
    }
}
