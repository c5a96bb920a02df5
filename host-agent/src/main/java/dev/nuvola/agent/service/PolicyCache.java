package dev.nuvola.agent.service;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.events.GuestPolicy;

/** The latest policy of every guest, read from the compacted policies topic from its beginning at each start. */
@ApplicationScoped
public class PolicyCache {
    private final Map<String, GuestPolicy> policies = new ConcurrentHashMap<>();

    public void put(GuestPolicy policy) {
        policies.merge(policy.guestId(), policy,
                (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
    }

    public void remove(String guestId) {
        policies.remove(guestId);
    }

    public Optional<GuestPolicy> get(String guestId) {
        return Optional.ofNullable(policies.get(guestId));
    }
}
