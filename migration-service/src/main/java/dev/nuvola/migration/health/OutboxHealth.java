package dev.nuvola.migration.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the outbox holds an event older than a minute: the relay cannot reach Kafka, so sagas
 * move in the database while no agent hears of it. The backlog is reported either way.
 */
@Readiness
@ApplicationScoped
public class OutboxHealth implements HealthCheck {
    static final Duration STALE = Duration.ofMinutes(1);

    private final EntityManager em;

    OutboxHealth(EntityManager em) {
        this.em = em;
    }

    @Override
    @Transactional
    public HealthCheckResponse call() {
        Object[] row = (Object[]) em.createQuery("select count(o), min(o.createdAt) from OutboxEntry o")
                .getSingleResult();
        long pending = ((Number) row[0]).longValue();
        Instant oldest = (Instant) row[1];
        boolean stale = oldest != null && oldest.isBefore(Instant.now().minus(STALE));
        return HealthCheckResponse.named("Migration outbox").status(!stale)
                .withData("pending", pending)
                .withData("oldest", oldest == null ? "none" : oldest.toString())
                .build();
    }
}
