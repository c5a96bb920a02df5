package dev.nuvola.agent.driver;

/** Operations a driver performs on a running guest without restarting it (except SAVE_RESTORE, which pauses it). */
public enum DriverCapability {
    LIVE_MEMORY_GROW,
    LIVE_MEMORY_SHRINK,
    LIVE_VCPU,
    LIVE_MIGRATION,
    SAVE_RESTORE
}
