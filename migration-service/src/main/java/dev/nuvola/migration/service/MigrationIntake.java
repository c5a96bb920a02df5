package dev.nuvola.migration.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.migration.model.Migration;

/**
 * Records migration requests as sagas in REQUESTED state, once per request id (a redelivered request
 * finds its saga and changes nothing), then has them planned. Planning is a transaction of its own: a
 * request is kept even when planning fails for now, and the scheduler plans it again.
 */
@ApplicationScoped
public class MigrationIntake {
    private static final Logger LOG = Logger.getLogger(MigrationIntake.class);

    private final Outbox outbox;
    private final SagaService sagas;

    MigrationIntake(Outbox outbox, SagaService sagas) {
        this.outbox = outbox;
        this.sagas = sagas;
    }

    /** Records the request and plans it; returns the saga as planning left it. */
    public Migration acceptAndPlan(MigrationRequest request, String drainId) {
        Migration recorded = accept(request, drainId);
        if (recorded.state != MigrationState.REQUESTED) {
            return recorded;
        }
        try {
            return sagas.plan(recorded.id);
        } catch (RuntimeException e) {
            LOG.warnf(e, "migration=%s: planning failed for now; the scheduler tries again", recorded.id);
            return recorded;
        }
    }

    @Transactional
    public Migration accept(MigrationRequest request, String drainId) {
        Migration existing = Migration.byRequest(request.requestId());
        if (existing != null) {
            return existing;
        }
        Migration migration = new Migration();
        migration.id = UUID.randomUUID().toString();
        migration.requestId = request.requestId();
        migration.guestId = request.guestId();
        migration.sourceHostId = request.sourceHostId();
        migration.targetHostId = request.targetHostId();
        migration.state = MigrationState.REQUESTED;
        migration.reason = request.reason();
        migration.requestedBy = request.requestedBy();
        migration.requiredMemoryMiB = request.requiredSize().memoryMiB();
        migration.requiredVcpus = request.requiredSize().vcpus();
        migration.requestedAt = request.requestedAt();
        migration.updatedAt = Instant.now();
        migration.drainId = drainId;
        migration.persist();
        outbox.add(migration.id, new MigrationEvent(migration.id, migration.guestId,
                MigrationEvent.Kind.STATE_CHANGED, null, null, MigrationState.REQUESTED, null, migration.sourceHostId,
                migration.targetHostId, migration.reason, migration.updatedAt));
        LOG.infof("migration=%s guest=%s source=%s state=REQUESTED: %s", migration.id, migration.guestId,
                migration.sourceHostId, migration.reason);
        return migration;
    }
}
