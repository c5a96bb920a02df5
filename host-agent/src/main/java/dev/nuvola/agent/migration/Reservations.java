package dev.nuvola.agent.migration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.nuvola.events.GuestSize;

/**
 * Room held on this host for guests on their way here (PREPARE_TARGET), until they run here (ACTIVATE) or the
 * migration is rolled back (ABORT). Resizes and other migrations see it as taken. Kept in memory: after an agent
 * restart the room is free again until the migration service retries its step, which re-reserves it.
 */
public final class Reservations {
    private final Map<String, GuestSize> byMigration = new ConcurrentHashMap<>();

    public void reserve(String migrationId, GuestSize size) {
        byMigration.put(migrationId, size);
    }

    public boolean holds(String migrationId) {
        return byMigration.containsKey(migrationId);
    }

    public void release(String migrationId) {
        byMigration.remove(migrationId);
    }

    public long memoryMiB() {
        return byMigration.values().stream().mapToLong(GuestSize::memoryMiB).sum();
    }

    public int vcpus() {
        return byMigration.values().stream().mapToInt(GuestSize::vcpus).sum();
    }
}
