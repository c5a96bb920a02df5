package dev.nuvola.events;

/** LIVE keeps the guest running throughout; SAVE_RESTORE stops it while its memory moves. */
public enum MigrationMethod {
    LIVE, SAVE_RESTORE
}
