package dev.nuvola.scaler.logic;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.nuvola.events.GuestSize;

/**
 * One resize at a time per guest. A guest with a command in flight is not decided again until the
 * command's result arrives or its deadline passes, and samples taken before the last result are stale:
 * they describe the guest before its resize and would trigger the same grow twice. The growth still in
 * flight on a host is headroom that is already spoken for.
 */
public final class InFlight {

    /** A command sent and not answered yet. */
    public record Command(String commandId, String guestId, String hostId, GuestSize from, GuestSize to,
                          Instant deadline) {
        long memoryGrowth() {
            return Math.max(0, to.memoryMiB() - from.memoryMiB());
        }

        int vcpuGrowth() {
            return Math.max(0, to.vcpus() - from.vcpus());
        }
    }

    private final Map<String, Command> byGuest = new HashMap<>();
    private final Map<String, Instant> settledAt = new HashMap<>();

    public synchronized boolean mayDecide(String guestId, Instant sampledAt, Instant now) {
        Command command = byGuest.get(guestId);
        if (command != null && now.isBefore(command.deadline())) {
            return false;
        }
        Instant settled = settledAt.get(guestId);
        return settled == null || sampledAt.isAfter(settled);
    }

    public synchronized void started(Command command) {
        byGuest.put(command.guestId(), command);
    }

    /** The guest's command was answered at {@code completedAt} (by the agent's clock, as samples are). */
    public synchronized Optional<Command> settled(String guestId, String commandId, Instant completedAt) {
        settledAt.merge(guestId, completedAt, (a, b) -> a.isAfter(b) ? a : b);
        Command command = byGuest.get(guestId);
        if (command != null && command.commandId().equals(commandId)) {
            byGuest.remove(guestId);
            return Optional.of(command);
        }
        return Optional.empty();
    }

    /** Memory that unanswered, unexpired commands will add on {@code hostId}. */
    public synchronized long memoryGrowth(String hostId, Instant now) {
        return byGuest.values().stream().filter(c -> c.hostId().equals(hostId) && now.isBefore(c.deadline()))
                .mapToLong(Command::memoryGrowth).sum();
    }

    public synchronized int vcpuGrowth(String hostId, Instant now) {
        return byGuest.values().stream().filter(c -> c.hostId().equals(hostId) && now.isBefore(c.deadline()))
                .mapToInt(Command::vcpuGrowth).sum();
    }

    /** Forgets a guest whose partition moved to another instance. */
    public synchronized void forget(String guestId) {
        byGuest.remove(guestId);
        settledAt.remove(guestId);
    }
}
