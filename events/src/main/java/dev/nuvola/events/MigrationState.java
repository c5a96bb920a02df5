package dev.nuvola.events;

/** The migration saga's states. COMPLETED, ROLLED_BACK and REFUSED are final. */
public enum MigrationState {
    REQUESTED, PLANNED, PREPARING, TRANSFERRING, ACTIVATING, CLEANING, COMPLETED,
    COMPENSATING, ROLLED_BACK,
    /** Never started: no host has room, or the guest's policy forbids the only method available. */
    REFUSED;

    public boolean isFinal() {
        return this == COMPLETED || this == ROLLED_BACK || this == REFUSED;
    }
}
