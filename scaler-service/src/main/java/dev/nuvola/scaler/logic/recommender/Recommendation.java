package dev.nuvola.scaler.logic.recommender;

import java.time.Instant;
import java.util.Optional;

import dev.nuvola.events.GuestSize;

/**
 * What one guest should have, from what the recommender has seen so far, and the resize to make now if any.
 * Every size is within the guest's bounds: at least the policy minimum and at most the smaller of the policy
 * maximum and the hypervisor maximum (when those conflict, the maximum wins).
 *
 * @param guestId             the guest
 * @param basedOn             the time of the newest sample taken into account
 * @param current             the guest's size in that sample
 * @param targetMemoryMiB     the percentile of the working set plus the margin, and no less than what puts the
 *                            percentile at the policy's target utilisation; rounded up to the granularity
 * @param lowerBoundMemoryMiB below this the guest is likely short of memory (lower with little confidence)
 * @param upperBoundMemoryMiB above this the guest likely has memory to spare (higher with little confidence)
 * @param targetVcpus         the percentile of busy vCPUs at the target CPU utilisation, rounded up
 * @param lowerBoundVcpus     as for memory
 * @param upperBoundVcpus     as for memory
 * @param confidence          0 to 1, growing with the number of samples and the time observed
 * @param samples             the samples taken into account
 * @param action              the resize to make now, or null
 * @param note                for operators: the action's reason, or why nothing is done
 */
public record Recommendation(
        String guestId,
        Instant basedOn,
        GuestSize current,
        long targetMemoryMiB,
        long lowerBoundMemoryMiB,
        long upperBoundMemoryMiB,
        int targetVcpus,
        int lowerBoundVcpus,
        int upperBoundVcpus,
        double confidence,
        long samples,
        Action action,
        String note) {

    public Optional<Action> actionIfAny() {
        return Optional.ofNullable(action);
    }

    public boolean acts() {
        return action != null;
    }

    /** This recommendation without its action, with another note (a sample that changed nothing). */
    Recommendation withoutAction(String why) {
        return new Recommendation(guestId, basedOn, current, targetMemoryMiB, lowerBoundMemoryMiB,
                upperBoundMemoryMiB, targetVcpus, lowerBoundVcpus, upperBoundVcpus, confidence, samples, null, why);
    }
}
