package dev.nuvola.scaler.logic.recommender;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;

/**
 * A guest fed to a recommender, sample by sample, whose actions are applied at once (as an agent would,
 * reporting them with {@link GuestRecommender#resized}).
 */
final class SimulatedGuest {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    final GuestRecommender recommender;
    GuestPolicy policy;
    long hypervisorMaxMemoryMiB = Long.MAX_VALUE;
    int hypervisorMaxVcpus = Integer.MAX_VALUE;
    long assignedMiB;
    int vcpus;
    boolean applyActions = true;
    Instant now = T0;
    final List<Applied> actions = new ArrayList<>();
    Recommendation last;

    /** An action and the sample it was taken on. */
    record Applied(Instant at, Action action, long usedMiB, double busyVcpus) {
    }

    SimulatedGuest(RecommenderConfig config, GuestPolicy policy, long assignedMiB, int vcpus) {
        this.recommender = new GuestRecommender("g", config);
        this.policy = policy;
        this.assignedMiB = assignedMiB;
        this.vcpus = vcpus;
    }

    static GuestPolicy policy(long minMiB, long maxMiB, int minVcpus, int maxVcpus, double memTarget,
                              double cpuTarget) {
        return new GuestPolicy("g", minMiB, maxMiB, minVcpus, maxVcpus, memTarget, cpuTarget, 0, true, false, null,
                T0);
    }

    /** Advances the clock and observes a sample; applies the action, if any. */
    Recommendation step(Duration dt, long usedMiB, double cpuUsage) {
        now = now.plus(dt);
        return observeAt(now, usedMiB, cpuUsage);
    }

    Recommendation observeAt(Instant at, long usedMiB, double cpuUsage) {
        GuestMetrics sample = new GuestMetrics("g", "h", at, assignedMiB, usedMiB, Math.max(0, assignedMiB - usedMiB),
                vcpus, cpuUsage, null, null);
        last = recommender.observe(sample, policy, hypervisorMaxMemoryMiB, hypervisorMaxVcpus);
        if (last.action() != null) {
            actions.add(new Applied(at, last.action(), usedMiB, cpuUsage * vcpus));
            if (applyActions) {
                GuestSize to = last.action().to();
                assignedMiB = to.memoryMiB();
                vcpus = to.vcpus();
                recommender.resized(to, at);
            }
        }
        return last;
    }

    double utilisation(long usedMiB) {
        return assignedMiB == 0 ? 1 : (double) usedMiB / assignedMiB;
    }
}
