package dev.nuvola.events;

import java.time.Instant;

/**
 * How a guest may be sized and moved, on the compacted {@link Topics#GUEST_POLICIES}, keyed by guest id.
 *
 * @param targetMemoryUtilisation the working set the recommender aims at, as a fraction of assigned memory
 * @param targetCpuUtilisation    the CPU use it aims at, as a fraction of assigned vCPUs
 * @param priority                higher keeps its place: lower-priority migratable neighbours move first
 * @param migratable              whether Nuvola may move this guest to another host
 * @param neverRestart            whether every operation must keep the guest running (no save/restore)
 * @param antiAffinityGroup       guests of one group are never placed on the same host
 */
public record GuestPolicy(
        String guestId,
        long minMemoryMiB,
        long maxMemoryMiB,
        int minVcpus,
        int maxVcpus,
        double targetMemoryUtilisation,
        double targetCpuUtilisation,
        int priority,
        boolean migratable,
        boolean neverRestart,
        @OptionalField String antiAffinityGroup,
        Instant updatedAt) {

    public GuestPolicy {
        Check.id("guestId", guestId);
        Check.mib("minMemoryMiB", minMemoryMiB);
        Check.mib("maxMemoryMiB", maxMemoryMiB);
        Check.vcpus("minVcpus", minVcpus);
        Check.vcpus("maxVcpus", maxVcpus);
        Check.fraction("targetMemoryUtilisation", targetMemoryUtilisation);
        Check.fraction("targetCpuUtilisation", targetCpuUtilisation);
        Check.present("updatedAt", updatedAt);
        if (minMemoryMiB > maxMemoryMiB) {
            throw new InvalidEventException("minMemoryMiB", "must not exceed maxMemoryMiB (" + maxMemoryMiB + ")");
        }
        if (minVcpus > maxVcpus) {
            throw new InvalidEventException("minVcpus", "must not exceed maxVcpus (" + maxVcpus + ")");
        }
    }
}
