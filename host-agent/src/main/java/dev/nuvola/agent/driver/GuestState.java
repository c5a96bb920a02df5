package dev.nuvola.agent.driver;

/**
 * One guest as its driver sees it now. Memory in MiB.
 *
 * @param usedMiB       the guest's working set as the driver measures it (balloon stats, cgroup usage);
 *                      -1 when the driver has no measure (the libvirt test driver)
 * @param cpuTimeNanos  CPU time consumed since the guest started, for usage over an interval
 */
public record GuestState(String name, boolean running, long memoryMiB, long maxMemoryMiB,
                         int vcpus, int maxVcpus, long usedMiB, long cpuTimeNanos) {

    public static final long UNKNOWN = -1;

    public boolean hasUsage() {
        return usedMiB >= 0;
    }
}
