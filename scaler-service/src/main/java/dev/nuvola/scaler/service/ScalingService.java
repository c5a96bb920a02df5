package dev.nuvola.scaler.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.Observation;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.kit.messaging.EventPublisher;
import dev.nuvola.scaler.config.ScalerConfig;
import dev.nuvola.scaler.logic.Decision;
import dev.nuvola.scaler.logic.DecisionLog;
import dev.nuvola.scaler.logic.GrowPlan;
import dev.nuvola.scaler.logic.GuestPolicies;
import dev.nuvola.scaler.logic.HeadroomPlanner;
import dev.nuvola.scaler.logic.InFlight;
import dev.nuvola.scaler.logic.recommender.Action;
import dev.nuvola.scaler.logic.recommender.GuestRecommender;
import dev.nuvola.scaler.logic.recommender.Recommendation;
import dev.nuvola.scaler.logic.recommender.RecommenderConfig;

/**
 * Samples in, decisions out. The recommender says what a guest should have; the headroom planner says
 * how to get there on its host (resize, move the guest, or move neighbours away first). Per-guest state
 * belongs to the instance that owns the guest's partition: samples and results of one guest share a
 * partition number, so they reach the same instance, and a rebalance hands the state over by rebuilding
 * it from new samples.
 */
/*
 * @Singleton, not @ApplicationScoped, as FleetTables and DeadLetters: each is called for every sample, and an
 * application-scoped bean is reached through a client proxy that looks its instance up on every call (14 % of the
 * deciding thread in a profile of the scaler reading a backlog).
 */
@Singleton
public class ScalingService {
    private static final Logger LOG = Logger.getLogger(ScalingService.class);
    static final String SOURCE = "scaler";

    /** What this instance knows of a guest it owns. */
    private static final class Guest {
        final GuestRecommender recommender;
        final int partition;
        int failures;
        Instant backOffUntil = Instant.MIN;
        /** The policy of a guest nobody gave one, kept while its hypervisor maxima stay the same. */
        GuestPolicy defaultPolicy;
        /** Migrations requested for this guest's grow (its own, or its neighbours'), and until when to wait. */
        Set<String> awaitedMoves = Set.of();
        Instant awaitUntil = Instant.MIN;
        /**
         * When the last neighbour moved away to make room. Until its host reports a status observed after it, that
         * host's last status still lists the neighbour and not its room: a grow planned on it asked to move the
         * neighbour again and waited for a migration that would never come. (The two times come from the migration
         * service's clock and the agent's: a skew between them delays the grow by as much, at most the patience.)
         */
        Instant roomMadeAt = Instant.MIN;

        Guest(GuestRecommender recommender, int partition) {
            this.recommender = recommender;
            this.partition = partition;
        }
    }

    private final Map<String, Guest> guests = new HashMap<>();
    private final InFlight inFlight = new InFlight();
    private final DecisionLog decisions = new DecisionLog(100);
    private final FleetTables tables;
    private final EventPublisher publisher;
    private final ScalerConfig config;
    private final RecommenderConfig recommenderConfig = RecommenderConfig.defaults();

    ScalingService(FleetTables tables, EventPublisher publisher, ScalerConfig config) {
        this.tables = tables;
        this.publisher = publisher;
        this.config = config;
    }

    public synchronized void onSample(GuestMetrics sample, int partition) {
        // Not computeIfAbsent: its lambda captures the partition, a new object for every sample.
        Guest guest = guests.get(sample.guestId());
        if (guest == null) {
            guest = new Guest(new GuestRecommender(sample.guestId(), recommenderConfig), partition);
            guests.put(sample.guestId(), guest);
        }
        HostGuest listed = tables.listing(sample.hostId(), sample.guestId());
        if (listed == null) {
            // Without the host's status there is neither a hypervisor maximum nor headroom to decide with.
            return;
        }
        GuestPolicy policy = tables.policies().get(sample.guestId());
        if (policy == null) {
            policy = defaultPolicy(guest, listed);
        }
        // decide() leaves the recommendation's words unwritten unless it acts or is read: most samples change nothing.
        Action action = guest.recommender.decide(sample, policy, listed.maxMemoryMiB(), listed.maxVcpus());
        if (action == null) {
            return;
        }
        Instant now = Instant.now();
        if (!inFlight.mayDecide(sample.guestId(), sample.sampledAt(), now)
                || now.isBefore(guest.backOffUntil) || awaitingMoves(guest, now)) {
            return;
        }
        if (!action.kind().isGrow()) {
            sendResize(sample.guestId(), sample.hostId(), action.from(), action.to(), action.reason(),
                    Observation.of(sample), SOURCE);
            return;
        }
        // Looked up only now: few samples get here. A host with a listing has a status.
        HostStatus host = tables.host(sample.hostId()).orElseThrow();
        if (host.observedAt().isBefore(guest.roomMadeAt) && now.isBefore(guest.awaitUntil)) {
            return;
        }
        GrowPlan plan = HeadroomPlanner.plan(sample.guestId(), action.from(), action.to(), host,
                inFlight.memoryGrowth(sample.hostId(), now), inFlight.vcpuGrowth(sample.hostId(), now),
                tables.policies());
        carryOut(plan, sample.guestId(), sample.hostId(), action.from(), action.reason(), Observation.of(sample),
                SOURCE, guest);
    }

    /** A manual resize: the same plan and the same path as an automatic one. */
    public synchronized Decision requestResize(String guestId, Long memoryMiB, Integer vcpus, String reason,
                                               String requestedBy) {
        HostStatus host = tables.hostOf(guestId).orElseThrow(() -> new UnknownGuestException(guestId));
        HostGuest listed = host.guests().stream().filter(g -> g.guestId().equals(guestId)).findFirst().orElseThrow();
        GuestPolicy policy = policyOf(guestId, listed);
        GuestSize from = new GuestSize(listed.memoryMiB(), listed.vcpus());
        GuestSize to = new GuestSize(memoryMiB == null ? from.memoryMiB() : memoryMiB, vcpus == null ? from.vcpus() : vcpus);
        long maxMemory = Math.min(policy.maxMemoryMiB(), listed.maxMemoryMiB());
        int maxVcpus = Math.min(policy.maxVcpus(), listed.maxVcpus());
        if (to.memoryMiB() < policy.minMemoryMiB() || to.memoryMiB() > maxMemory) {
            throw new IllegalArgumentException("memoryMiB must be from " + policy.minMemoryMiB() + " to " + maxMemory
                    + " for " + guestId + " (policy and hypervisor bounds), got " + to.memoryMiB());
        }
        if (to.vcpus() < Math.max(1, policy.minVcpus()) || to.vcpus() > maxVcpus) {
            throw new IllegalArgumentException("vcpus must be from " + Math.max(1, policy.minVcpus()) + " to "
                    + maxVcpus + " for " + guestId + ", got " + to.vcpus());
        }
        Instant now = Instant.now();
        if (!inFlight.mayDecide(guestId, now, now)) {
            throw new IllegalStateException("a resize of " + guestId + " is still in flight");
        }
        String why = "manual resize by " + requestedBy + (reason == null || reason.isBlank() ? "" : ": " + reason);
        GrowPlan plan = to.memoryMiB() <= from.memoryMiB() && to.vcpus() <= from.vcpus()
                ? new GrowPlan.Resize(to, "no growth")
                : HeadroomPlanner.plan(guestId, from, to, host, inFlight.memoryGrowth(host.hostId(), now),
                inFlight.vcpuGrowth(host.hostId(), now), tables.policies());
        return carryOut(plan, guestId, host.hostId(), from, why, null, requestedBy, guests.get(guestId));
    }

    private Decision carryOut(GrowPlan plan, String guestId, String hostId, GuestSize from, String why,
                              Observation basedOn, String requestedBy, Guest guest) {
        Instant now = Instant.now();
        if (plan instanceof GrowPlan.Resize resize) {
            return sendResize(guestId, hostId, from, resize.target(), why + "; " + plan.reason(), basedOn, requestedBy);
        }
        if (plan instanceof GrowPlan.MoveGuest move) {
            String requestId = requestMigration(guestId, hostId, move.requiredSize(), why + "; " + plan.reason(),
                    requestedBy);
            await(guest, Set.of(guestId), now);
            return record(new Decision(now, guestId, hostId, "MOVE_GUEST", null, move.requiredSize().memoryMiB(),
                    move.requiredSize().vcpus(), List.of(requestId), why + "; " + plan.reason()));
        }
        if (plan instanceof GrowPlan.MakeRoom room) {
            List<String> requests = new ArrayList<>();
            HostStatus host = tables.host(hostId).orElseThrow();
            for (String neighbour : room.neighbours()) {
                HostGuest n = host.guests().stream().filter(g -> g.guestId().equals(neighbour)).findFirst().orElseThrow();
                requests.add(requestMigration(neighbour, hostId, new GuestSize(n.memoryMiB(), n.vcpus()),
                        "make room on " + hostId + " for " + guestId, requestedBy));
            }
            await(guest, new HashSet<>(room.neighbours()), now);
            return record(new Decision(now, guestId, hostId, "MAKE_ROOM", null, room.target().memoryMiB(),
                    room.target().vcpus(), requests, why + "; " + plan.reason()));
        }
        if (guest != null) {
            // Nothing can be done now: wait as after a failure, so the same refusal is not logged every second.
            guest.backOffUntil = now.plus(config.failureBackoff());
        }
        return record(new Decision(now, guestId, hostId, "REFUSED", null, null, null, null, why + "; " + plan.reason()));
    }

    private Decision sendResize(String guestId, String hostId, GuestSize from, GuestSize to, String reason,
                                Observation basedOn, String requestedBy) {
        Instant now = Instant.now();
        ResizeCommand command = new ResizeCommand(UUID.randomUUID().toString(), guestId, hostId,
                to.memoryMiB() == from.memoryMiB() ? null : to.memoryMiB(),
                to.vcpus() == from.vcpus() ? null : to.vcpus(), reason, requestedBy, now,
                now.plus(config.commandDeadline()), basedOn);
        if (command.targetMemoryMiB() == null && command.targetVcpus() == null) {
            return record(new Decision(now, guestId, hostId, "NONE", null, null, null, null,
                    "the guest already has " + to.memoryMiB() + " MiB and " + to.vcpus() + " vCPUs"));
        }
        inFlight.started(new InFlight.Command(command.commandId(), guestId, hostId, from, to, command.deadline()));
        // Keyed by host: the agent of that host reads its commands in order from one partition.
        publisher.publish(hostId, command);
        LOG.infof("command=%s guest=%s host=%s %s -> %s: %s", command.commandId(), guestId, hostId, from, to, reason);
        return record(new Decision(now, guestId, hostId, "RESIZE", command.commandId(), command.targetMemoryMiB(),
                command.targetVcpus(), null, reason));
    }

    private String requestMigration(String guestId, String hostId, GuestSize size, String reason, String requestedBy) {
        MigrationRequest request = new MigrationRequest(UUID.randomUUID().toString(), guestId, hostId, reason,
                requestedBy, size, null, Instant.now());
        publisher.publish(guestId, request);
        LOG.infof("migration request=%s guest=%s source=%s: %s", request.requestId(), guestId, hostId, reason);
        return request.requestId();
    }

    public synchronized void onResult(ResizeResult result) {
        Optional<InFlight.Command> command = inFlight.settled(result.guestId(), result.commandId(), result.completedAt());
        Guest guest = guests.get(result.guestId());
        if (guest == null) {
            return;
        }
        Instant now = Instant.now();
        switch (result.outcome()) {
            case APPLIED -> {
                guest.failures = 0;
                guest.recommender.resized(result.after(), result.completedAt());
            }
            case REJECTED -> {
                if ("INSUFFICIENT_HOST_CAPACITY".equals(result.reasonCode()) && command.isPresent()) {
                    // The agent saw less room than the last host status did: plan again as if the host were
                    // full, all of its free room counted as taken.
                    HostStatus host = tables.host(result.hostId()).orElse(null);
                    if (host != null) {
                        GrowPlan plan = HeadroomPlanner.plan(result.guestId(), command.get().from(),
                                command.get().to(), host, host.memoryFreeMiB(), host.vcpusFree(), tables.policies());
                        carryOut(plan, result.guestId(), result.hostId(), command.get().from(),
                                "the agent refused the grow for capacity (" + result.message() + ")", null, SOURCE,
                                guest);
                    }
                }
            }
            case FAILED -> {
                guest.failures++;
                if (guest.failures >= config.maxFailures()) {
                    guest.backOffUntil = now.plus(config.failureBackoff());
                    record(new Decision(now, result.guestId(), result.hostId(), "BACK_OFF", result.commandId(), null,
                            null, null, guest.failures + " resizes failed in a row (last: " + result.message()
                            + "); leaving the guest alone until " + guest.backOffUntil));
                    guest.failures = 0;
                }
            }
        }
    }

    /** A migration this instance waits for ended: once all of a guest's awaited moves end, it is decided again. */
    public synchronized void onMigrationEvent(MigrationEvent event) {
        if (event.kind() != MigrationEvent.Kind.STATE_CHANGED || !event.state().isFinal()) {
            return;
        }
        for (Map.Entry<String, Guest> entry : guests.entrySet()) {
            Guest guest = entry.getValue();
            if (guest.awaitedMoves.contains(event.guestId())) {
                Set<String> left = new HashSet<>(guest.awaitedMoves);
                left.remove(event.guestId());
                guest.awaitedMoves = Set.copyOf(left);
                if (event.state() == MigrationState.COMPLETED && !event.guestId().equals(entry.getKey())
                        && event.occurredAt().isAfter(guest.roomMadeAt)) {
                    guest.roomMadeAt = event.occurredAt();
                }
                LOG.infof("guest=%s: migration of %s ended %s; %d moves still awaited", entry.getKey(),
                        event.guestId(), event.state(), left.size());
                if (event.state() != MigrationState.COMPLETED) {
                    record(new Decision(Instant.now(), entry.getKey(), null, "MOVE_ENDED", null, null, null,
                            List.of(event.migrationId()), "migration of " + event.guestId() + " ended "
                            + event.state() + (event.reason() == null ? "" : ": " + event.reason())));
                }
            }
        }
    }

    /** The partitions this instance no longer owns: their guests' state goes with them. */
    public synchronized void revoked(Collection<Integer> partitions) {
        guests.entrySet().removeIf(e -> {
            boolean gone = partitions.contains(e.getValue().partition);
            if (gone) {
                inFlight.forget(e.getKey());
            }
            return gone;
        });
    }

    public synchronized Optional<Recommendation> recommendation(String guestId) {
        Guest guest = guests.get(guestId);
        return guest == null ? Optional.empty() : Optional.ofNullable(guest.recommender.latest());
    }

    public synchronized Set<String> ownedGuests() {
        return Set.copyOf(guests.keySet());
    }

    public DecisionLog decisions() {
        return decisions;
    }

    private boolean awaitingMoves(Guest guest, Instant now) {
        return !guest.awaitedMoves.isEmpty() && now.isBefore(guest.awaitUntil);
    }

    private void await(Guest guest, Set<String> moves, Instant now) {
        if (guest != null) {
            guest.awaitedMoves = Set.copyOf(moves);
            guest.awaitUntil = now.plus(config.migrationPatience());
        }
    }

    /** The default policy for the guest's maxima, the same object from sample to sample while they stay. */
    private static GuestPolicy defaultPolicy(Guest guest, HostGuest listed) {
        GuestPolicy kept = guest.defaultPolicy;
        if (kept == null || kept.maxMemoryMiB() != listed.maxMemoryMiB() || kept.maxVcpus() != listed.maxVcpus()) {
            kept = GuestPolicies.defaultFor(guest.recommender.guestId(), listed.maxMemoryMiB(), listed.maxVcpus());
            guest.defaultPolicy = kept;
        }
        return kept;
    }

    private GuestPolicy policyOf(String guestId, HostGuest listed) {
        return tables.policy(guestId).orElseGet(() -> GuestPolicies.defaultFor(guestId, listed.maxMemoryMiB(),
                listed.maxVcpus()));
    }

    private Decision record(Decision decision) {
        decisions.add(decision);
        return decision;
    }

    /** The guest is not on any host this instance knows of. */
    public static final class UnknownGuestException extends RuntimeException {
        public UnknownGuestException(String guestId) {
            super("no host reports a guest named '" + guestId + "'");
        }
    }
}
