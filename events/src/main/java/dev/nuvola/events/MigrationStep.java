package dev.nuvola.events;

/** The steps an agent executes for a migration. ABORT undoes whatever that agent did for it. */
public enum MigrationStep {
    PREPARE_TARGET, TRANSFER, ACTIVATE, CLEANUP_SOURCE, ABORT
}
