package dev.nuvola.agent.driver;

import java.util.List;

/** What a node's guests are given, summed: memory in MiB, vCPUs. Reservations for incoming guests are not in it. */
public record Allocation(long memoryMiB, int vcpus) {

    public static Allocation of(List<GuestState> guests) {
        long memory = 0;
        int vcpus = 0;
        for (GuestState guest : guests) {
            memory += guest.memoryMiB();
            vcpus += guest.vcpus();
        }
        return new Allocation(memory, vcpus);
    }
}
