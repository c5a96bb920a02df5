package dev.nuvola.events;

import java.time.Instant;

/** The sample a decision was based on, carried in the command so that a result can be traced back. */
public record Observation(Instant sampledAt, long memoryAssignedMiB, long memoryUsedMiB, int vcpus, double cpuUsage) {
    public Observation {
        Check.present("sampledAt", sampledAt);
        Check.mib("memoryAssignedMiB", memoryAssignedMiB);
        Check.mib("memoryUsedMiB", memoryUsedMiB);
        Check.vcpus("vcpus", vcpus);
        Check.fraction("cpuUsage", cpuUsage);
    }

    public static Observation of(GuestMetrics m) {
        return new Observation(m.sampledAt(), m.memoryAssignedMiB(), m.memoryUsedMiB(), m.vcpus(), m.cpuUsage());
    }
}
