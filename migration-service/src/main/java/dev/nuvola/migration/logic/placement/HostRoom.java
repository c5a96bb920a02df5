package dev.nuvola.migration.logic.placement;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;

/**
 * What placement knows of one host: its latest status, the room already promised to migrations in flight
 * towards it (reservations), the anti-affinity groups of the guests it runs or will receive, and how many
 * migrations to it failed recently.
 *
 * @param memoryFreeMiB    allocatable memory as the host's agent reports it
 * @param reservedMemoryMiB memory promised to migrations still in flight towards this host
 */
public record HostRoom(
        String hostId,
        HostState state,
        Set<Capability> capabilities,
        long memoryTotalMiB,
        int vcpusTotal,
        long memoryFreeMiB,
        int vcpusFree,
        long reservedMemoryMiB,
        int reservedVcpus,
        Set<String> antiAffinityGroups,
        int recentFailures) {

    public HostRoom {
        // An EnumSet: every filter asks it, per host, and for an enum set that is a bit test.
        capabilities = capabilities.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
        antiAffinityGroups = Set.copyOf(antiAffinityGroups);
    }

    /** Memory a new guest can still get here: free minus reserved (negative when over-reserved). */
    public long memoryAvailableMiB() {
        return memoryFreeMiB - reservedMemoryMiB;
    }

    public int vcpusAvailable() {
        return vcpusFree - reservedVcpus;
    }

    /** This host with one more guest promised to it: its size reserved and its group present. */
    public HostRoom reserve(GuestSize size, String antiAffinityGroup) {
        Set<String> groups = antiAffinityGroups;
        if (antiAffinityGroup != null && !groups.contains(antiAffinityGroup)) {
            groups = new HashSet<>(groups);
            groups.add(antiAffinityGroup);
        }
        return new HostRoom(hostId, state, capabilities, memoryTotalMiB, vcpusTotal, memoryFreeMiB, vcpusFree,
                reservedMemoryMiB + size.memoryMiB(), reservedVcpus + size.vcpus(), groups, recentFailures);
    }

    public HostRoom withState(HostState newState) {
        return new HostRoom(hostId, newState, capabilities, memoryTotalMiB, vcpusTotal, memoryFreeMiB, vcpusFree,
                reservedMemoryMiB, reservedVcpus, antiAffinityGroups, recentFailures);
    }
}
