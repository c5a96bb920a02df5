package dev.nuvola.migration.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.migration.model.Migration;

/**
 * Records migration requests as sagas in REQUESTED state, once per request id (a redelivered request
 * finds its saga and changes nothing). Planning and the steps after it are issue #6.
 */
@ApplicationScoped
public class MigrationIntake {
    private static final Logger LOG = Logger.getLogger(MigrationIntake.class);

    @Transactional
    public Migration accept(MigrationRequest request) {
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
        migration.persist();
        LOG.infof("migration=%s guest=%s source=%s state=REQUESTED: %s", migration.id, migration.guestId,
                migration.sourceHostId, migration.reason);
        return migration;
    }
}
