package dev.nuvola.events;

import java.time.Instant;

/**
 * What happened in a migration, on {@link Topics#MIGRATION_EVENTS}, keyed by migration id. Agents
 * publish step outcomes (STEP_SUCCEEDED / STEP_FAILED with the step's command id); migration-service
 * publishes the saga's state changes (STATE_CHANGED with the new state).
 */
public record MigrationEvent(
        String migrationId,
        String guestId,
        Kind kind,
        @OptionalField MigrationStep step,
        @OptionalField String commandId,
        @OptionalField MigrationState state,
        @OptionalField String hostId,
        @OptionalField String sourceHostId,
        @OptionalField String targetHostId,
        @OptionalField String reason,
        Instant occurredAt) {

    public enum Kind {
        STEP_SUCCEEDED, STEP_FAILED, STATE_CHANGED
    }

    public MigrationEvent {
        Check.id("migrationId", migrationId);
        Check.id("guestId", guestId);
        Check.present("kind", kind);
        Check.present("occurredAt", occurredAt);
        if (kind == Kind.STATE_CHANGED && state == null) {
            throw new InvalidEventException("state", "is required for STATE_CHANGED");
        }
        if (kind != Kind.STATE_CHANGED && (step == null || commandId == null)) {
            throw new InvalidEventException(step == null ? "step" : "commandId", "is required for " + kind);
        }
        if (commandId != null) {
            Check.id("commandId", commandId);
        }
        if (kind == Kind.STEP_FAILED && (reason == null || reason.isBlank())) {
            throw new InvalidEventException("reason", "is required for STEP_FAILED");
        }
    }
}
