package dev.nuvola.events;

/** A guest as listed in its host's status. Memory in MiB. */
public record HostGuest(String guestId, long memoryMiB, long maxMemoryMiB, int vcpus, int maxVcpus) {
    public HostGuest {
        Check.id("guestId", guestId);
        Check.mib("memoryMiB", memoryMiB);
        Check.mib("maxMemoryMiB", maxMemoryMiB);
        Check.vcpus("vcpus", vcpus);
        Check.vcpus("maxVcpus", maxVcpus);
    }
}
