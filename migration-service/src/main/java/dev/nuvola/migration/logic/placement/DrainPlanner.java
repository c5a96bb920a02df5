package dev.nuvola.migration.logic.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationMethod;

/**
 * Plans the evacuation of a host: every guest placed over the other hosts, each placement reserving its room
 * (and anti-affinity group) on its target before the next guest is placed, so the plan never promises the same
 * room twice. Largest guests first (first-fit decreasing): small ones fill the gaps big ones leave, where the
 * other order can strand a big guest with no host.
 */
public final class DrainPlanner {
    public record Assignment(String guestId, GuestSize size, String targetHostId, MigrationMethod method) {
    }

    /** Either every guest has a target, or the plan is refused with the first guest that fits nowhere and why. */
    public record DrainPlan(List<Assignment> assignments, String refusal) {
        public boolean fits() {
            return refusal == null;
        }
    }

    private static final Comparator<GuestToPlace> LARGEST_FIRST = Comparator
            .comparingLong((GuestToPlace g) -> -g.size().memoryMiB())
            .thenComparingInt(g -> -g.size().vcpus())
            .thenComparing(GuestToPlace::guestId);

    private DrainPlanner() {
    }

    public static DrainPlan plan(List<GuestToPlace> guests, List<HostRoom> hosts, Placer placer) {
        List<GuestToPlace> order = new ArrayList<>(guests);
        order.sort(LARGEST_FIRST);
        List<HostRoom> rooms = new ArrayList<>(hosts);
        List<Assignment> assignments = new ArrayList<>(order.size());
        for (GuestToPlace guest : order) {
            Placement placement = placer.place(guest, rooms);
            if (!placement.placed()) {
                return new DrainPlan(assignments, "cannot evacuate " + order.size() + " guests (placed "
                        + assignments.size() + " before): " + placement.reason());
            }
            int target = placement.chosenIndex();
            HostRoom host = rooms.get(target);
            rooms.set(target, host.reserve(guest.size(), guest.antiAffinityGroup()));
            assignments.add(new Assignment(guest.guestId(), guest.size(), host.hostId(), placement.method()));
        }
        return new DrainPlan(assignments, null);
    }
}
