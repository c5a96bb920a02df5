package dev.nuvola.scaler.logic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.nuvola.events.Check;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;

/**
 * SPEC's headroom decision: a grow that fits the host's free capacity (less what commands still in
 * flight will take) is a resize; one that does not moves the guest if it may move, otherwise moves
 * lower-priority movable neighbours to make room. Plain code: no I/O.
 */
public final class HeadroomPlanner {

    private HeadroomPlanner() {
    }

    /**
     * @param inFlightMemoryMiB memory that resize commands already sent for this host will add
     * @param inFlightVcpus     vCPUs they will add
     * @param policies          the policies known; a guest without one gets {@link GuestPolicies#defaultFor}
     */
    public static GrowPlan plan(String guestId, GuestSize current, GuestSize target, HostStatus host,
                                long inFlightMemoryMiB, int inFlightVcpus, Map<String, GuestPolicy> policies) {
        long needMemory = Math.max(0, target.memoryMiB() - current.memoryMiB());
        int needVcpus = Math.max(0, target.vcpus() - current.vcpus());
        long freeMemory = host.memoryFreeMiB() - inFlightMemoryMiB;
        int freeVcpus = host.vcpusFree() - inFlightVcpus;
        if (needMemory <= freeMemory && needVcpus <= freeVcpus) {
            return new GrowPlan.Resize(target, String.format("host %s has room: %d MiB and %d vCPUs free, %d MiB"
                    + " and %d vCPUs needed", host.hostId(), freeMemory, freeVcpus, needMemory, needVcpus));
        }
        long missingMemory = Math.max(0, needMemory - freeMemory);
        int missingVcpus = Math.max(0, needVcpus - freeVcpus);
        String shortOf = String.format("host %s is short of %d MiB and %d vCPUs", host.hostId(), missingMemory,
                missingVcpus);
        GuestPolicy policy = policyOf(guestId, host, policies);
        if (policy.migratable()) {
            return new GrowPlan.MoveGuest(target, shortOf + ": move " + guestId + " to a host with room");
        }

        // The guest stays: the lowest-priority neighbours go first, the largest first among equals, so
        // that as few guests as possible move.
        List<HostGuest> candidates = host.guests().stream()
                .filter(g -> !g.guestId().equals(guestId))
                .filter(g -> {
                    GuestPolicy p = policyOf(g.guestId(), host, policies);
                    return p.migratable() && p.priority() < policy.priority();
                })
                .sorted(Comparator.comparingInt((HostGuest g) -> policyOf(g.guestId(), host, policies).priority())
                        .thenComparing(Comparator.comparingLong(HostGuest::memoryMiB).reversed())
                        .thenComparing(HostGuest::guestId))
                .toList();
        List<String> moving = new ArrayList<>();
        long freedMemory = 0;
        int freedVcpus = 0;
        for (HostGuest neighbour : candidates) {
            if (freedMemory >= missingMemory && freedVcpus >= missingVcpus) {
                break;
            }
            moving.add(neighbour.guestId());
            freedMemory += neighbour.memoryMiB();
            freedVcpus += neighbour.vcpus();
        }
        if (freedMemory >= missingMemory && freedVcpus >= missingVcpus) {
            return new GrowPlan.MakeRoom(moving, target, shortOf + "; " + guestId + " may not move, so its"
                    + " lower-priority neighbours " + moving + " move away to free " + freedMemory + " MiB and "
                    + freedVcpus + " vCPUs");
        }
        return new GrowPlan.Refuse(shortOf + "; " + guestId + " may not move and its lower-priority movable"
                + " neighbours would free only " + freedMemory + " MiB and " + freedVcpus + " vCPUs");
    }

    private static GuestPolicy policyOf(String guestId, HostStatus host, Map<String, GuestPolicy> policies) {
        GuestPolicy policy = policies.get(guestId);
        if (policy != null) {
            return policy;
        }
        HostGuest listed = host.guests().stream().filter(g -> g.guestId().equals(guestId)).findFirst().orElse(null);
        return listed == null ? GuestPolicies.defaultFor(guestId, Check.MAX_MIB, Check.MAX_VCPUS)
                : GuestPolicies.defaultFor(guestId, listed.maxMemoryMiB(), listed.maxVcpus());
    }
}
