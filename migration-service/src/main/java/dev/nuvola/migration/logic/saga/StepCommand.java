package dev.nuvola.migration.logic.saga;

import java.time.Instant;

import dev.nuvola.events.MigrationStep;

/** A step the saga wants an agent to execute: becomes a MigrationCommand keyed by {@code hostId}. */
public record StepCommand(String commandId, MigrationStep step, String hostId, Instant issuedAt, Instant deadline) {
}
