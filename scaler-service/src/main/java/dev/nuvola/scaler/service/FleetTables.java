package dev.nuvola.scaler.service;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;

/**
 * The latest policy of every guest and status of every host, read from the two compacted topics from
 * their beginning at every start (every instance needs all of them: a make-room decision looks at a
 * whole host). A late, older record never replaces a newer one.
 */
@ApplicationScoped
public class FleetTables {
    private final Map<String, GuestPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    /** Each host's guests by id, built once per status: every sample looks its guest up here. */
    private final Map<String, Map<String, HostGuest>> listings = new ConcurrentHashMap<>();

    public void put(GuestPolicy policy) {
        policies.merge(policy.guestId(), policy, (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
    }

    public void removePolicy(String guestId) {
        policies.remove(guestId);
    }

    public void put(HostStatus status) {
        HostStatus latest = hosts.merge(status.hostId(), status,
                (old, fresh) -> fresh.observedAt().isBefore(old.observedAt()) ? old : fresh);
        if (latest == status) {
            Map<String, HostGuest> byId = new HashMap<>(status.guests().size() * 2);
            status.guests().forEach(g -> byId.put(g.guestId(), g));
            listings.put(status.hostId(), byId);
        }
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
