package dev.nuvola.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A host's state and room, on the compacted {@link Topics#HOST_STATUS}, keyed by host id. Published
 * on every change and at least every 10 s, so the latest record per host is always fresh.
 *
 * @param managementAddress the agent's management address, an IPv6 literal without brackets
 * @param memoryFreeMiB     memory still allocatable to guests (total minus assigned and reserve)
 * @param vcpusFree         vCPUs still allocatable to guests
 */
public record HostStatus(
        String hostId,
        Instant observedAt,
        HostState state,
        String managementAddress,
        String driver,
        Set<Capability> capabilities,
        long memoryTotalMiB,
        long memoryFreeMiB,
        int vcpusTotal,
        int vcpusFree,
        List<HostGuest> guests) {

    public HostStatus {
        Check.id("hostId", hostId);
        Check.present("observedAt", observedAt);
        Check.present("state", state);
        Check.id("driver", driver);
        Check.ipLiteral("managementAddress", managementAddress);
        Check.present("capabilities", capabilities);
        if (capabilities.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidEventException("capabilities", "must not contain null");
        }
        capabilities = capabilities.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(capabilities));
        Check.mib("memoryTotalMiB", memoryTotalMiB);
        Check.vcpus("vcpusTotal", vcpusTotal);
        Check.present("guests", guests);
        if (guests.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidEventException("guests", "must not contain null");
        }
        guests = List.copyOf(guests);
        if (memoryFreeMiB < 0 || memoryFreeMiB > memoryTotalMiB) {
            throw new InvalidEventException("memoryFreeMiB", "must be between 0 and memoryTotalMiB (" + memoryTotalMiB
                    + "), got " + memoryFreeMiB);
        }
        if (vcpusFree < 0 || vcpusFree > vcpusTotal) {
            throw new InvalidEventException("vcpusFree", "must be between 0 and vcpusTotal (" + vcpusTotal
                    + "), got " + vcpusFree);
        }
    }
}
