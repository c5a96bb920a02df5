package dev.nuvola.events;

import java.time.Instant;

/**
 * One saga step for one agent, on {@link Topics#MIGRATION_COMMANDS}, keyed by the host id of the agent
 * that must execute it. Answered by a {@link MigrationEvent} with the same command id.
 */
public record MigrationCommand(
        String commandId,
        String migrationId,
        MigrationStep step,
        String hostId,
        String guestId,
        String sourceHostId,
        String targetHostId,
        MigrationMethod method,
        GuestSize size,
        Instant issuedAt,
        Instant deadline) {

    public MigrationCommand {
        Check.id("commandId", commandId);
        Check.id("migrationId", migrationId);
        Check.present("step", step);
        Check.id("hostId", hostId);
        Check.id("guestId", guestId);
        Check.id("sourceHostId", sourceHostId);
        Check.id("targetHostId", targetHostId);
        Check.present("method", method);
        Check.present("size", size);
        Check.present("issuedAt", issuedAt);
        Check.present("deadline", deadline);
        if (!hostId.equals(sourceHostId) && !hostId.equals(targetHostId)) {
            throw new InvalidEventException("hostId", "must be the source or the target host");
        }
        if (deadline.isBefore(issuedAt)) {
            throw new InvalidEventException("deadline", "is before issuedAt");
        }
        if (sourceHostId.equals(targetHostId)) {
            throw new InvalidEventException("targetHostId", "must differ from sourceHostId");
        }
    }
}
