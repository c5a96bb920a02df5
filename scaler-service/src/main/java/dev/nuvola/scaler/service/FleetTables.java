package dev.nuvola.scaler.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.nuvola.events.CanonicalIds;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;

/**
 * The latest policy of every guest and status of every host, read from the two compacted topics from
 * their beginning at every start (every instance needs all of them: a make-room decision looks at a
 * whole host). A late, older record never replaces a newer one. Keyed by {@link CanonicalIds}' instances, those
 * the samples' ids are decoded to: every sample's lookups then compare keys by identity.
 */
@Singleton // called for every record: no client proxy in between (see the scaler's ScalingService)
public class FleetTables {
    private final Map<String, GuestPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    /** Each host's guests by id, updated once per status: every sample looks its guest up here. */
    private final Map<String, Map<String, HostGuest>> listings = new ConcurrentHashMap<>();

    public void put(GuestPolicy policy) {
        policies.merge(CanonicalIds.of(policy.guestId()), policy,
                (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
    }

    public void removePolicy(String guestId) {
        policies.remove(guestId);
    }

    /**
     * Keeps the status unless an older one came late. The guests it lists are kept as the objects already held
     * wherever they did not change: a host publishes its whole listing after every resize, and holding each new
     * copy until that host's next status made it live just long enough to be promoted, so the old generation
     * filled with dead listings and the scaler stopped for a full collection about once a minute.
     */
    public void put(HostStatus status) {
        hosts.compute(CanonicalIds.of(status.hostId()), (hostId, old) -> {
            if (old != null && status.observedAt().isBefore(old.observedAt())) {
                return old;
            }
            Map<String, HostGuest> byId = listings.computeIfAbsent(hostId, id -> new ConcurrentHashMap<>());
            List<HostGuest> guests = new ArrayList<>(status.guests().size());
            for (HostGuest guest : status.guests()) {
                HostGuest known = byId.get(guest.guestId());
                if (guest.equals(known)) {
                    guests.add(known);
                } else {
                    byId.put(CanonicalIds.of(guest.guestId()), guest);
                    guests.add(guest);
                }
            }
            if (byId.size() != guests.size()) {
                Set<String> listed = new HashSet<>();
                guests.forEach(g -> listed.add(g.guestId()));
                byId.keySet().retainAll(listed);
            }
            return new HostStatus(status.hostId(), status.observedAt(), status.state(), status.managementAddress(),
                    status.driver(), status.capabilities(), status.memoryTotalMiB(), status.memoryFreeMiB(),
                    status.vcpusTotal(), status.vcpusFree(), guests);
        });
    }

    /** The guest as its host's latest status lists it, or null (not an Optional: every sample asks). */
    public HostGuest listing(String hostId, String guestId) {
        Map<String, HostGuest> byId = listings.get(hostId);
        return byId == null ? null : byId.get(guestId);
    }

    public Map<String, GuestPolicy> policies() {
        return policies;
    }

    public Optional<GuestPolicy> policy(String guestId) {
        return Optional.ofNullable(policies.get(guestId));
    }

    public Optional<HostStatus> host(String hostId) {
        return Optional.ofNullable(hosts.get(hostId));
    }

    /** The host whose latest status lists the guest. */
    public Optional<HostStatus> hostOf(String guestId) {
        return hosts.values().stream()
                .filter(h -> h.guests().stream().anyMatch(g -> g.guestId().equals(guestId)))
                .max(Comparator.comparing(HostStatus::observedAt));
    }
}
