package dev.nuvola.scaler.logic;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One resize at a time per guest. A guest with a command in flight is not decided again until the
 * command's result arrives or its deadline passes, and samples taken before the last result are stale:
 * they describe the guest before its resize and would trigger the same grow twice.
 */
public final class InFlight {
    private final Map<String, Instant> deadlines = new HashMap<>();
    private final Map<String, Instant> settledAt = new HashMap<>();

    public synchronized boolean mayDecide(String guestId, Instant sampledAt, Instant now) {
        Instant deadline = deadlines.get(guestId);
        if (deadline != null && now.isBefore(deadline)) {
            return false;
        }
        Instant settled = settledAt.get(guestId);
        return settled == null || sampledAt.isAfter(settled);
    }

    public synchronized void started(String guestId, Instant deadline) {
        deadlines.put(guestId, deadline);
    }

    /** The guest's command was answered at {@code completedAt} (by the agent's clock, as samples are). */
    public synchronized void settled(String guestId, Instant completedAt) {
        deadlines.remove(guestId);
        settledAt.merge(guestId, completedAt, (a, b) -> a.isAfter(b) ? a : b);
    }
}
