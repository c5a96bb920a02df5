package dev.nuvola.events;

/** APPLIED: the guest has the new size. REJECTED: refused before touching the guest. FAILED: the driver failed. */
public enum ResizeOutcome {
    APPLIED, REJECTED, FAILED
}
