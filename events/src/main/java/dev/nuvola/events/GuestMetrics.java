package dev.nuvola.events;

import java.time.Instant;

/**
 * One sample of a guest's use, on {@link Topics#GUEST_METRICS}, keyed by guest id. Published by the
 * agents every second; any other producer of the same shape is treated like an agent.
 *
 * @param memoryAssignedMiB  memory the guest has now
 * @param memoryUsedMiB      its working set
 * @param memoryAvailableMiB what the guest itself reports as available (assigned minus used when unknown)
 * @param cpuUsage           busy fraction of the assigned vCPUs over the last interval, 0.0 to 1.0
 * @param balloonMiB         the balloon's current size, where the driver has one
 * @param memoryPressure     PSI "some" avg10 for memory as a fraction, where the kernel has it
 */
public record GuestMetrics(
        String guestId,
        String hostId,
        Instant sampledAt,
        long memoryAssignedMiB,
        long memoryUsedMiB,
        long memoryAvailableMiB,
        int vcpus,
        double cpuUsage,
        @OptionalField Long balloonMiB,
        @OptionalField Double memoryPressure) {

    public GuestMetrics {
        Check.id("guestId", guestId);
        Check.id("hostId", hostId);
        Check.present("sampledAt", sampledAt);
        Check.mib("memoryAssignedMiB", memoryAssignedMiB);
        Check.mib("memoryUsedMiB", memoryUsedMiB);
        Check.mib("memoryAvailableMiB", memoryAvailableMiB);
        Check.vcpus("vcpus", vcpus);
        Check.fraction("cpuUsage", cpuUsage);
        Check.optionalMib("balloonMiB", balloonMiB);
        Check.optionalFraction("memoryPressure", memoryPressure);
    }

    /** Working set as a fraction of assigned memory. */
    public double memoryUtilisation() {
        return memoryAssignedMiB == 0 ? 1.0 : (double) memoryUsedMiB / memoryAssignedMiB;
    }
}
