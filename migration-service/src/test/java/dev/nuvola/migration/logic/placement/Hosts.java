package dev.nuvola.migration.logic.placement;

import java.util.Set;

import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;

/** Test fixtures for placement. */
final class Hosts {
    static final Set<Capability> LIVE = Set.of(Capability.LIVE_MIGRATION, Capability.SAVE_RESTORE);
    static final Set<Capability> SAVE_ONLY = Set.of(Capability.SAVE_RESTORE);

    private Hosts() {
    }

    static HostRoom host(String id, long freeMiB, int freeVcpus) {
        return new HostRoom(id, HostState.ACTIVE, LIVE, 65536, 64, freeMiB, freeVcpus, 0, 0, Set.of(), 0);
    }

    static GuestToPlace guest(String id, long memoryMiB, int vcpus) {
        return new GuestToPlace(id, new GuestSize(memoryMiB, vcpus), "src", LIVE, false, null, null);
    }
}
