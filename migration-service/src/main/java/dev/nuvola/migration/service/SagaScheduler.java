package dev.nuvola.migration.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.nuvola.events.MigrationState;
import io.quarkus.scheduler.Scheduled;

/**
 * The saga's clock, and what makes a restart resume: every tick plans the sagas still REQUESTED, starts the
 * PLANNED ones, times out the steps past their deadline and advances the drains, all read from the database.
 * One saga's failure is logged and retried on the next tick; it never stops the others.
 */
@ApplicationScoped
public class SagaScheduler {
    private static final Logger LOG = Logger.getLogger(SagaScheduler.class);

    private final SagaService sagas;
    private final DrainService drains;

    SagaScheduler(SagaService sagas, DrainService drains) {
        this.sagas = sagas;
        this.drains = drains;
    }

    @Scheduled(every = "${nuvola.migration.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        for (String id : sagas.idsIn(MigrationState.REQUESTED)) {
            run(id, () -> sagas.plan(id));
        }
        for (String id : sagas.idsIn(MigrationState.PLANNED)) {
            run(id, () -> sagas.tick(id));
        }
        for (String id : sagas.due()) {
            run(id, () -> sagas.tick(id));
        }
        drains.tick();
    }

    private static void run(String id, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "migration=%s: tick failed; trying again on the next one", id);
        }
    }
}
