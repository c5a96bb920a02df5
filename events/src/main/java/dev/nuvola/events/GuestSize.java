package dev.nuvola.events;

/** A guest's size: memory in MiB and a vCPU count. */
public record GuestSize(long memoryMiB, int vcpus) {
    public GuestSize {
        Check.mib("memoryMiB", memoryMiB);
        Check.vcpus("vcpus", vcpus);
    }
}
