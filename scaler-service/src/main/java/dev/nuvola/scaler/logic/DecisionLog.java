package dev.nuvola.scaler.logic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The latest decisions per guest, newest first; bounded so that a long-running scaler does not grow. */
public final class DecisionLog {
    private final int perGuest;
    private final Map<String, Deque<Decision>> byGuest = new HashMap<>();

    public DecisionLog(int perGuest) {
        if (perGuest < 1) {
            throw new IllegalArgumentException("perGuest must be at least 1");
        }
        this.perGuest = perGuest;
    }

    public synchronized void add(Decision decision) {
        Deque<Decision> decisions = byGuest.computeIfAbsent(decision.guestId(), g -> new ArrayDeque<>());
        decisions.addFirst(decision);
        if (decisions.size() > perGuest) {
            decisions.removeLast();
        }
    }

    /** A guest's decisions, or every guest's when {@code guestId} is null; newest first. */
    public synchronized List<Decision> latest(String guestId, int limit) {
        List<Decision> all = new ArrayList<>();
        if (guestId != null) {
            all.addAll(byGuest.getOrDefault(guestId, new ArrayDeque<>()));
        } else {
            byGuest.values().forEach(all::addAll);
            all.sort(Comparator.comparing(Decision::decidedAt).reversed());
        }
        return all.subList(0, Math.min(limit, all.size()));
    }
}
