package dev.nuvola.migration.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.migration.logic.placement.HostRoom;
import dev.nuvola.migration.repository.MigrationQueries.Reservation;

/**
 * The fleet as the two compacted topics tell it: the latest status of every host and policy of every guest,
 * read from their beginning at every start. A late, older record never replaces a newer one.
 */
@ApplicationScoped
public class FleetView {
    private final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    private final Map<String, GuestPolicy> policies = new ConcurrentHashMap<>();

    /** Returns the status now held for the host (the newer of the two). */
    public HostStatus put(HostStatus status) {
        return hosts.merge(status.hostId(), status,
                (old, fresh) -> fresh.observedAt().isBefore(old.observedAt()) ? old : fresh);
    }

    public void put(GuestPolicy policy) {
        policies.merge(policy.guestId(), policy,
                (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
    }

    public void removePolicy(String guestId) {
        policies.remove(guestId);
    }

    public Optional<HostStatus> host(String hostId) {
        return Optional.ofNullable(hosts.get(hostId));
    }

    public Collection<HostStatus> hosts() {
        return hosts.values();
    }

    public Optional<GuestPolicy> policy(String guestId) {
        return Optional.ofNullable(policies.get(guestId));
    }

    /** The host whose latest status lists the guest. */
    public Optional<HostStatus> hostOf(String guestId) {
        return hosts.values().stream()
                .filter(h -> h.guests().stream().anyMatch(g -> g.guestId().equals(guestId)))
                .max(Comparator.comparing(HostStatus::observedAt));
    }

    public Optional<HostGuest> guest(String hostId, String guestId) {
        return host(hostId).flatMap(h -> h.guests().stream().filter(g -> g.guestId().equals(guestId)).findFirst());
    }

    public String antiAffinityGroup(String guestId) {
        GuestPolicy policy = policies.get(guestId);
        return policy == null ? null : policy.antiAffinityGroup();
    }

    /**
     * Every host as placement sees it. A reservation counts until its guest shows in its target's status (from
     * then on the status's free room already accounts for it); hosts held by a drain count as DRAINING whatever
     * their agent says.
     */
    public List<HostRoom> rooms(List<Reservation> reservations, Map<String, Integer> recentFailures,
                                Set<String> drainedHosts) {
        Map<String, List<Reservation>> byTarget = new HashMap<>();
        for (Reservation r : reservations) {
            byTarget.computeIfAbsent(r.targetHostId(), k -> new ArrayList<>()).add(r);
        }
        List<HostRoom> rooms = new ArrayList<>(hosts.size());
        for (HostStatus h : hosts.values()) {
            Set<String> groups = new HashSet<>();
            Set<String> present = new HashSet<>();
            for (HostGuest g : h.guests()) {
                present.add(g.guestId());
                String group = antiAffinityGroup(g.guestId());
                if (group != null) {
                    groups.add(group);
                }
            }
            HostState state = drainedHosts.contains(h.hostId()) ? HostState.DRAINING : h.state();
            HostRoom room = new HostRoom(h.hostId(), state, h.capabilities(), h.memoryTotalMiB(), h.vcpusTotal(),
                    h.memoryFreeMiB(), h.vcpusFree(), 0, 0, groups, recentFailures.getOrDefault(h.hostId(), 0));
            for (Reservation r : byTarget.getOrDefault(h.hostId(), List.of())) {
                if (!present.contains(r.guestId())) {
                    room = room.reserve(r.size(), antiAffinityGroup(r.guestId()));
                }
            }
            rooms.add(room);
        }
        return rooms;
    }
}
