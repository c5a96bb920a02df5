package dev.nuvola.events;

import java.time.Instant;

/**
 * The one answer to a {@link ResizeCommand}, on {@link Topics#RESIZE_RESULTS}, keyed by guest id.
 *
 * @param reasonCode why it was not applied (e.g. ABOVE_POLICY_MAX, DEADLINE_PASSED); absent when APPLIED
 * @param before     the guest's size before, absent when the guest was not found
 * @param after      its size after (equal to before unless APPLIED), absent when the guest was not found
 */
public record ResizeResult(
        String commandId,
        String guestId,
        String hostId,
        ResizeOutcome outcome,
        @OptionalField String reasonCode,
        @OptionalField String message,
        @OptionalField GuestSize before,
        @OptionalField GuestSize after,
        Instant completedAt) {

    public ResizeResult {
        Check.id("commandId", commandId);
        Check.id("guestId", guestId);
        Check.id("hostId", hostId);
        Check.present("outcome", outcome);
        Check.present("completedAt", completedAt);
        if (outcome != ResizeOutcome.APPLIED && (reasonCode == null || reasonCode.isBlank())) {
            throw new InvalidEventException("reasonCode", "is required when the outcome is " + outcome);
        }
        if (outcome == ResizeOutcome.APPLIED && after == null) {
            throw new InvalidEventException("after", "is required when the outcome is APPLIED");
        }
    }
}
