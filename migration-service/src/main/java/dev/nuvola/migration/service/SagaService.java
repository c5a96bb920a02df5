package dev.nuvola.migration.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationState;
import dev.nuvola.migration.config.MigrationConfig;
import dev.nuvola.migration.logic.placement.Placement;
import dev.nuvola.migration.logic.saga.MigrationSaga;
import dev.nuvola.migration.logic.saga.Saga;
import dev.nuvola.migration.logic.saga.StepCommand;
import dev.nuvola.migration.logic.saga.Transition;
import dev.nuvola.migration.model.Migration;
import dev.nuvola.migration.model.ProcessedEvent;
import dev.nuvola.migration.repository.MigrationQueries;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs the saga: each input (a plan, a step outcome, a tick) is one transaction that locks the saga's row,
 * applies {@link MigrationSaga}, stores the result and writes its commands and state changes to the outbox.
 * Everything the saga needs is in its row, so a restarted service goes on from there: the scheduler plans
 * what is unplanned and times out what is overdue, the relay sends what was not sent.
 */
@ApplicationScoped
public class SagaService {
    private static final Logger LOG = Logger.getLogger(SagaService.class);

    private final MigrationQueries queries;
    private final PlacementService placement;
    private final FleetView fleet;
    private final Outbox outbox;
    private final MigrationConfig config;
    private final MigrationSaga saga;
    private final MeterRegistry meters;

    SagaService(MigrationQueries queries, PlacementService placement, FleetView fleet, Outbox outbox,
                MigrationConfig config, MeterRegistry meters) {
        this.meters = meters;
        this.queries = queries;
        this.placement = placement;
        this.fleet = fleet;
        this.outbox = outbox;
        this.config = config;
        this.saga = new MigrationSaga(new MigrationSaga.Rules(config.stepTimeout(), config.maxAttempts()));
    }

    /**
     * REQUESTED -> PLANNED -> PREPARING, or REFUSED with the reason. Waits (stays REQUESTED) while the source's
     * status is unknown, up to the planning patience: after a restart the fleet view fills up within seconds.
     */
    @Transactional
    public Migration plan(String id) {
        queries.lockPlanning();
        Migration m = queries.lock(id);
        if (m == null || m.state != MigrationState.REQUESTED) {
            return m;
        }
        Instant now = Instant.now();
        Saga s = m.toSaga();
        Optional<HostStatus> source = fleet.host(m.sourceHostId);
        if (source.isEmpty()) {
            if (now.isBefore(m.requestedAt.plus(config.planningPatience()))) {
                return m;
            }
            return write(m, saga.refuse(s, "source host " + m.sourceHostId + " has published no status within "
                    + config.planningPatience().toSeconds() + " s"), now);
        }
        if (fleet.policy(m.guestId).map(p -> !p.migratable()).orElse(false)) {
            return write(m, saga.refuse(s, "guest " + m.guestId + " is not migratable (its policy)"), now);
        }
        Optional<Migration> other = queries.otherInFlight(m.guestId, m.id);
        if (other.isPresent()) {
            return write(m, saga.refuse(s, "guest " + m.guestId + " is already moving (migration " + other.get().id
                    + ", " + other.get().state + ")"), now);
        }
        Placement p = placement.place(placement.guest(m.guestId, s.size(), source.get(), m.targetHostId));
        if (!p.placed()) {
            return write(m, saga.refuse(s, p.reason()), now);
        }
        write(m, saga.plan(s, p.chosen().orElseThrow().hostId(), p.method(), p.reason()), now);
        return write(m, saga.start(m.toSaga(), now), now);
    }

    /**
     * A step outcome from an agent, applied at most once: its event id is recorded in the same transaction as
     * its effect. The saga's own STATE_CHANGED events come back on the same topic and are skipped.
     */
    @Transactional
    public void onEvent(Envelope<MigrationEvent> envelope) {
        MigrationEvent event = envelope.payload();
        if (event.kind() == MigrationEvent.Kind.STATE_CHANGED) {
            return;
        }
        if (ProcessedEvent.findById(envelope.meta().id()) != null) {
            LOG.debugf("event %s already applied", envelope.meta().id());
            return;
        }
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = envelope.meta().id();
        processed.processedAt = Instant.now();
        processed.persist();
        Migration m = queries.lock(event.migrationId());
        if (m == null) {
            LOG.warnf("migration=%s command=%s: outcome for an unknown migration ignored", event.migrationId(),
                    event.commandId());
            return;
        }
        Instant now = Instant.now();
        Transition t = event.kind() == MigrationEvent.Kind.STEP_SUCCEEDED
                ? saga.stepSucceeded(m.toSaga(), event.commandId(), now)
                : saga.stepFailed(m.toSaga(), event.commandId(), event.reason(), now);
        if (!t.changed()) {
            LOG.infof("migration=%s command=%s %s: %s", m.id, event.commandId(), event.kind(), t.note());
        }
        write(m, t, now);
    }

    /** Starts a PLANNED saga or times out an overdue step. */
    @Transactional
    public void tick(String id) {
        Migration m = queries.lock(id);
        if (m == null) {
            return;
        }
        Instant now = Instant.now();
        write(m, m.state == MigrationState.PLANNED ? saga.start(m.toSaga(), now) : saga.tick(m.toSaga(), now), now);
    }

    @Transactional
    public List<String> due() {
        return queries.due(Instant.now());
    }

    @Transactional
    public List<String> idsIn(MigrationState state) {
        return queries.idsIn(state);
    }

    private Migration write(Migration m, Transition t, Instant now) {
        if (!t.changed()) {
            return m;
        }
        m.apply(t.saga(), now);
        Saga s = t.saga();
        for (MigrationState state : t.entered()) {
            meters.counter("nuvola.migration.states.entered", "state", state.name()).increment();
            outbox.add(m.id, new MigrationEvent(m.id, m.guestId, MigrationEvent.Kind.STATE_CHANGED, null, null, state,
                    null, m.sourceHostId, m.targetHostId, s.reason(), now));
            LOG.infof("migration=%s guest=%s source=%s target=%s state=%s: %s", m.id, m.guestId, m.sourceHostId,
                    m.targetHostId, state, t.note());
        }
        for (StepCommand c : t.commands()) {
            meters.counter("nuvola.migration.commands", "step", c.step().name()).increment();
            outbox.add(c.hostId(), new MigrationCommand(c.commandId(), m.id, c.step(), c.hostId(), m.guestId,
                    m.sourceHostId, m.targetHostId, m.method, s.size(), c.issuedAt(), c.deadline()));
            if (t.entered().isEmpty()) {
                LOG.infof("migration=%s guest=%s command=%s: %s", m.id, m.guestId, c.commandId(), t.note());
            }
        }
        return m;
    }
}
