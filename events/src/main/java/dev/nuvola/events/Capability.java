package dev.nuvola.events;

/** What a host's driver can do to a running guest. The platform never asks a driver for more. */
public enum Capability {
    LIVE_MEMORY_GROW,
    LIVE_MEMORY_SHRINK,
    LIVE_VCPU,
    LIVE_MIGRATION,
    /** Stops the guest while its memory is written out: never used for a neverRestart guest. */
    SAVE_RESTORE
}
