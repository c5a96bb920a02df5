package dev.nuvola.agent.driver;

/** A node's size: memory in MiB, logical CPUs. */
public record HostCapacity(long memoryMiB, int cpus) {
}
