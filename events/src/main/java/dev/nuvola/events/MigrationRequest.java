package dev.nuvola.events;

import java.time.Instant;

/**
 * Ask for a guest to move, on {@link Topics#MIGRATION_REQUESTS}, keyed by guest id.
 *
 * @param requiredSize  what the guest needs on its new host (its size after the grow that motivated the move)
 * @param targetHostId  a host the operator chose; absent lets placement choose
 */
public record MigrationRequest(
        String requestId,
        String guestId,
        String sourceHostId,
        String reason,
        String requestedBy,
        GuestSize requiredSize,
        @OptionalField String targetHostId,
        Instant requestedAt) {

    public MigrationRequest {
        Check.id("requestId", requestId);
        Check.id("guestId", guestId);
        Check.id("sourceHostId", sourceHostId);
        Check.present("reason", reason);
        Check.id("requestedBy", requestedBy);
        Check.present("requiredSize", requiredSize);
        Check.present("requestedAt", requestedAt);
    }
}
