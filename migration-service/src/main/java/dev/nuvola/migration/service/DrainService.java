package dev.nuvola.migration.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.migration.config.MigrationConfig;
import dev.nuvola.migration.logic.placement.DrainPlanner;
import dev.nuvola.migration.model.Drain;
import dev.nuvola.migration.model.DrainGuest;
import dev.nuvola.migration.model.Migration;
import dev.nuvola.migration.repository.MigrationQueries;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;

/**
 * Host drain: plan the evacuation of every guest (refused, changing nothing, if they do not fit), then run
 * the migrations a few at a time until the host is empty.
 *
 * <p>DRAINING is published on {@code nuvola.host-status}, where every service already reads host states: the
 * host's latest status with state DRAINING, through the outbox with the drain itself. The agent, which owns
 * that key, does not know about drains yet and republishes ACTIVE within 10 s; until it learns to keep
 * DRAINING, this service answers each such status with a DRAINING copy one millisecond newer (see
 * {@link #reassert}), so that the latest status of a drained host says DRAINING. This service's own placement
 * does not depend on the topic: it keeps a drained host out from its own table.
 */
@ApplicationScoped
public class DrainService {
    private static final Logger LOG = Logger.getLogger(DrainService.class);

    public record GuestProgress(String guestId, long memoryMiB, int vcpus, String plannedTargetHostId,
                                String migrationId, MigrationState state, String targetHostId, String reason) {
    }

    public record Progress(String drainId, String hostId, Drain.State state, int total, int done, int failed,
                           int inFlight, int pending, int concurrency, String reason, List<GuestProgress> guests,
                           Instant createdAt, Instant updatedAt) {
    }

    private final FleetView fleet;
    private final PlacementService placement;
    private final MigrationQueries queries;
    private final MigrationIntake intake;
    private final SagaService sagas;
    private final Outbox outbox;
    private final MigrationConfig config;
    private volatile Set<String> held = Set.of();

    DrainService(FleetView fleet, PlacementService placement, MigrationQueries queries, MigrationIntake intake,
                 SagaService sagas, Outbox outbox, MigrationConfig config) {
        this.fleet = fleet;
        this.placement = placement;
        this.queries = queries;
        this.intake = intake;
        this.sagas = sagas;
        this.outbox = outbox;
        this.config = config;
    }

    @Transactional
    public Progress start(String hostId, Integer concurrency) {
        if (concurrency != null && concurrency < 1) {
            throw ProblemException.badRequest("concurrency must be at least 1, got " + concurrency);
        }
        HostStatus host = fleet.host(hostId)
                .orElseThrow(() -> ProblemException.notFound("no host with id '" + hostId + "' has published a status"));
        // The plan must see every reservation and no plan may spend its room before the drain holds it.
        queries.lockPlanning();
        Drain latest = Drain.latestFor(hostId);
        if (latest != null && latest.state == Drain.State.RUNNING) {
            throw ProblemException.conflict("host " + hostId + " is already draining (drain " + latest.id + ")");
        }
        DrainPlanner.DrainPlan plan = placement.planDrain(host);
        if (!plan.fits()) {
            throw ProblemException.conflict("drain of " + hostId + " refused: " + plan.refusal());
        }
        Instant now = Instant.now();
        Drain drain = new Drain();
        drain.id = UUID.randomUUID().toString();
        drain.hostId = hostId;
        drain.state = Drain.State.RUNNING;
        drain.concurrency = concurrency == null ? config.drainConcurrency() : concurrency;
        drain.reason = "evacuating " + plan.assignments().size() + " guests";
        drain.createdAt = now;
        drain.updatedAt = now;
        drain.persist();
        int position = 0;
        for (DrainPlanner.Assignment a : plan.assignments()) {
            DrainGuest g = new DrainGuest();
            g.drainId = drain.id;
            g.guestId = a.guestId();
            g.position = position++;
            g.memoryMiB = a.size().memoryMiB();
            g.vcpus = a.size().vcpus();
            g.targetHostId = a.targetHostId();
            g.persist();
        }
        publish(host, HostState.DRAINING, now);
        held = queries.drainedHosts();
        LOG.infof("drain=%s host=%s: DRAINING, %d guests to move, %d at a time", drain.id, hostId,
                plan.assignments().size(), drain.concurrency);
        return progress(drain);
    }

    /** Ends a host's maintenance: it takes guests again. A drain still running must finish first. */
    @Transactional
    public Progress end(String hostId) {
        Drain latest = Drain.latestFor(hostId);
        if (latest == null || latest.state == Drain.State.ENDED) {
            throw ProblemException.notFound("host " + hostId + " is not drained");
        }
        if (latest.state == Drain.State.RUNNING) {
            throw ProblemException.conflict("drain " + latest.id + " of " + hostId + " is still running");
        }
        latest.state = Drain.State.ENDED;
        latest.updatedAt = Instant.now();
        fleet.host(hostId).ifPresent(h -> publish(h, HostState.ACTIVE, latest.updatedAt));
        held = queries.drainedHosts();
        return progress(latest);
    }

    @Transactional
    public Progress latest(String hostId) {
        Drain latest = Drain.latestFor(hostId);
        if (latest == null) {
            throw ProblemException.notFound("host " + hostId + " was never drained");
        }
        return progress(latest);
    }

    /** Starts the next migrations of every running drain, up to its concurrency, and ends finished drains. */
    public void tick() {
        List<String> running = QuarkusTransaction.requiringNew().call(() -> Drain.<Drain>list("state",
                Drain.State.RUNNING).stream().map(d -> d.id).toList());
        for (String id : running) {
            try {
                for (String migrationId : QuarkusTransaction.requiringNew().call(() -> advance(id))) {
                    sagas.plan(migrationId);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "drain=%s: could not advance now; trying again", id);
            }
        }
        held = QuarkusTransaction.requiringNew().call(queries::drainedHosts);
    }

    /** One drain, under its row lock: returns the migrations it requested, which the caller then plans. */
    private List<String> advance(String drainId) {
        Drain drain = Drain.findById(drainId, LockModeType.PESSIMISTIC_WRITE);
        if (drain == null || drain.state != Drain.State.RUNNING) {
            return List.of();
        }
        List<DrainGuest> guests = DrainGuest.list("drainId", Sort.by("position"), drainId);
        Map<String, Migration> migrations = migrationsOf(guests);
        int inFlight = 0;
        for (DrainGuest g : guests) {
            Migration m = migrations.get(g.guestId);
            if (m != null && !m.state.isFinal()) {
                inFlight++;
            }
        }
        Instant now = Instant.now();
        List<String> started = new ArrayList<>();
        for (DrainGuest g : guests) {
            if (inFlight >= drain.concurrency) {
                break;
            }
            if (g.migrationId == null) {
                MigrationRequest request = new MigrationRequest(drainId + ":" + g.guestId, g.guestId, drain.hostId,
                        "drain of " + drain.hostId, "drain:" + drainId, new GuestSize(g.memoryMiB, g.vcpus), null, now);
                Migration m = intake.accept(request, drainId);
                g.migrationId = m.id;
                started.add(m.id);
                inFlight++;
            }
        }
        boolean allStarted = guests.stream().allMatch(g -> g.migrationId != null);
        if (allStarted && started.isEmpty() && inFlight == 0) {
            List<String> notMoved = new ArrayList<>();
            for (DrainGuest g : guests) {
                Migration m = migrations.get(g.guestId);
                if (m.state != MigrationState.COMPLETED) {
                    notMoved.add(g.guestId + " " + m.state + ": " + m.reason);
                }
            }
            drain.state = notMoved.isEmpty() ? Drain.State.COMPLETED : Drain.State.FAILED;
            drain.reason = notMoved.isEmpty() ? "all " + guests.size() + " guests moved"
                    : notMoved.size() + " of " + guests.size() + " guests did not move: " + String.join("; ", notMoved);
            drain.updatedAt = now;
            LOG.infof("drain=%s host=%s %s: %s", drain.id, drain.hostId, drain.state, drain.reason);
        }
        return started;
    }

    /**
     * A status of a drained host that does not say DRAINING (its agent does not know of drains): answered by a
     * DRAINING copy, one millisecond newer, so that the host's latest status says DRAINING.
     *
     * <p>The drains table decides, not {@link #held()}: a tick can read the drains just before an end commits and
     * put the host back into that set after it, and this service's own ACTIVE status, coming back from the topic
     * then, would be answered with a DRAINING one that outlives the drain.
     */
    @Transactional
    public void reassert(HostStatus status) {
        if (status.state() == HostState.DRAINING) {
            return;
        }
        Drain latest = Drain.latestFor(status.hostId());
        if (latest == null || !latest.state.holdsHost()) {
            return;
        }
        publish(status, HostState.DRAINING, status.observedAt().plusMillis(1));
    }

    /** The hosts held by a drain as of the last refresh: a cheap first filter, which may lag a start or an end. */
    public Set<String> held() {
        return held;
    }

    private void publish(HostStatus h, HostState state, Instant observedAt) {
        outbox.add(h.hostId(), new HostStatus(h.hostId(), observedAt, state, h.managementAddress(), h.driver(),
                h.capabilities(), h.memoryTotalMiB(), h.memoryFreeMiB(), h.vcpusTotal(), h.vcpusFree(), h.guests()));
    }

    private Progress progress(Drain drain) {
        List<DrainGuest> guests = DrainGuest.list("drainId", Sort.by("position"), drain.id);
        Map<String, Migration> migrations = migrationsOf(guests);
        int done = 0;
        int failed = 0;
        int inFlight = 0;
        int pending = 0;
        List<GuestProgress> out = new ArrayList<>();
        for (DrainGuest g : guests) {
            Migration m = migrations.get(g.guestId);
            if (m == null) {
                pending++;
            } else if (m.state == MigrationState.COMPLETED) {
                done++;
            } else if (m.state.isFinal()) {
                failed++;
            } else {
                inFlight++;
            }
            out.add(new GuestProgress(g.guestId, g.memoryMiB, g.vcpus, g.targetHostId, g.migrationId,
                    m == null ? null : m.state, m == null ? null : m.targetHostId, m == null ? null : m.reason));
        }
        return new Progress(drain.id, drain.hostId, drain.state, guests.size(), done, failed, inFlight, pending,
                drain.concurrency, drain.reason, out, drain.createdAt, drain.updatedAt);
    }

    private static Map<String, Migration> migrationsOf(List<DrainGuest> guests) {
        Map<String, Migration> byGuest = new HashMap<>();
        for (DrainGuest g : guests) {
            if (g.migrationId != null) {
                byGuest.put(g.guestId, Migration.findById(g.migrationId));
            }
        }
        return byGuest;
    }
}
