package dev.nuvola.scaler.logic;

import java.time.Instant;

import dev.nuvola.events.GuestPolicy;

/** The policy a guest has when nobody gave it one: sized freely within its hypervisor maximum, movable. */
public final class GuestPolicies {
    /** Below this no guest is shrunk: an OS needs some memory to run at all. */
    public static final long DEFAULT_MIN_MEMORY_MIB = 256;
    public static final double DEFAULT_TARGET_MEMORY_UTILISATION = 0.75;
    public static final double DEFAULT_TARGET_CPU_UTILISATION = 0.70;
    public static final int DEFAULT_PRIORITY = 0;

    private GuestPolicies() {
    }

    public static GuestPolicy defaultFor(String guestId, long maxMemoryMiB, int maxVcpus) {
        return new GuestPolicy(guestId, Math.min(DEFAULT_MIN_MEMORY_MIB, maxMemoryMiB), maxMemoryMiB,
                Math.min(1, maxVcpus), maxVcpus, DEFAULT_TARGET_MEMORY_UTILISATION, DEFAULT_TARGET_CPU_UTILISATION,
                DEFAULT_PRIORITY, true, false, null, Instant.EPOCH);
    }
}
