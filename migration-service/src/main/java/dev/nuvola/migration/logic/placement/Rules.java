package dev.nuvola.migration.logic.placement;

import dev.nuvola.events.HostState;

/**
 * The standard filters' and weighers' rules, each stated once. {@link Filter} and {@link Weigher} wrap them for
 * explanations and custom lists; {@link Placer}'s standard path calls them directly, where the JIT can inline
 * them (through the interfaces, six filters and three weighers make every call site megamorphic).
 */
final class Rules {
    private Rules() {
    }

    static boolean requiredHost(GuestToPlace guest, HostRoom host) {
        return guest.requiredHostId() == null || guest.requiredHostId().equals(host.hostId());
    }

    static boolean notSource(GuestToPlace guest, HostRoom host) {
        return !host.hostId().equals(guest.sourceHostId());
    }

    static boolean active(GuestToPlace guest, HostRoom host) {
        return host.state() == HostState.ACTIVE;
    }

    static boolean fits(GuestToPlace guest, HostRoom host) {
        return host.memoryAvailableMiB() >= guest.size().memoryMiB() && host.vcpusAvailable() >= guest.size().vcpus();
    }

    static boolean antiAffinity(GuestToPlace guest, HostRoom host) {
        return guest.antiAffinityGroup() == null || !host.antiAffinityGroups().contains(guest.antiAffinityGroup());
    }

    static boolean hasMethod(GuestToPlace guest, HostRoom host) {
        return Methods.between(guest, host.capabilities()) != null;
    }

    /** The index in {@link Filter#STANDARD} of the first filter the host fails, or -1: the same order. */
    static int firstStandardFailure(GuestToPlace guest, HostRoom host) {
        if (!requiredHost(guest, host)) {
            return 0;
        }
        if (!notSource(guest, host)) {
            return 1;
        }
        if (!active(guest, host)) {
            return 2;
        }
        if (!fits(guest, host)) {
            return 3;
        }
        if (!antiAffinity(guest, host)) {
            return 4;
        }
        return hasMethod(guest, host) ? -1 : 5;
    }

    static double freeMemoryAfter(GuestToPlace guest, HostRoom host) {
        return host.memoryAvailableMiB() - guest.size().memoryMiB();
    }

    static double balanceAfter(GuestToPlace guest, HostRoom host) {
        double memory = host.memoryTotalMiB() == 0 ? 0
                : (double) (host.memoryAvailableMiB() - guest.size().memoryMiB()) / host.memoryTotalMiB();
        double vcpus = host.vcpusTotal() == 0 ? 0
                : (double) (host.vcpusAvailable() - guest.size().vcpus()) / host.vcpusTotal();
        return Math.min(memory, vcpus);
    }

    static double failures(GuestToPlace guest, HostRoom host) {
        return -host.recentFailures();
    }

    /** The raw value of weigher {@code w} of {@link Weigher#STANDARD}. */
    static double standardWeight(int w, GuestToPlace guest, HostRoom host) {
        return switch (w) {
            case 0 -> freeMemoryAfter(guest, host);
            case 1 -> balanceAfter(guest, host);
            default -> failures(guest, host);
        };
    }
}
