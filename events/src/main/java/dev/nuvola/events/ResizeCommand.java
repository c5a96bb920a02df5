package dev.nuvola.events;

import java.time.Instant;

/**
 * Change a running guest's size, on {@link Topics#RESIZE_COMMANDS}, keyed by host id so that one
 * agent's commands stay in order. The agent applies it at most once (by command id), never after its
 * deadline, and answers with exactly one {@link ResizeResult}.
 *
 * @param targetMemoryMiB the memory to set, or absent to leave memory as it is
 * @param targetVcpus     the vCPU count to set, or absent to leave it
 * @param basedOn         the sample that led to the decision (absent for manual resizes)
 * @param requestedBy     "scaler" or the operator who asked
 */
public record ResizeCommand(
        String commandId,
        String guestId,
        String hostId,
        @OptionalField Long targetMemoryMiB,
        @OptionalField Integer targetVcpus,
        String reason,
        String requestedBy,
        Instant issuedAt,
        Instant deadline,
        @OptionalField Observation basedOn) {

    public ResizeCommand {
        Check.id("commandId", commandId);
        Check.id("guestId", guestId);
        Check.id("hostId", hostId);
        Check.optionalMib("targetMemoryMiB", targetMemoryMiB);
        Check.optionalVcpus("targetVcpus", targetVcpus);
        Check.present("reason", reason);
        Check.id("requestedBy", requestedBy);
        Check.present("issuedAt", issuedAt);
        Check.present("deadline", deadline);
        if (targetMemoryMiB == null && targetVcpus == null) {
            throw new InvalidEventException("targetMemoryMiB", "a resize needs targetMemoryMiB or targetVcpus");
        }
        if (targetMemoryMiB != null && targetMemoryMiB < 1) {
            throw new InvalidEventException("targetMemoryMiB", "must be at least 1");
        }
        if (targetVcpus != null && targetVcpus < 1) {
            throw new InvalidEventException("targetVcpus", "must be at least 1");
        }
        if (deadline.isBefore(issuedAt)) {
            throw new InvalidEventException("deadline", "is before issuedAt");
        }
    }
}
