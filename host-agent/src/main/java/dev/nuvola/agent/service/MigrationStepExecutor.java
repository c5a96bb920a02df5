package dev.nuvola.agent.service;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.migration.Reservations;
import dev.nuvola.agent.migration.SpoolHandoff;
import dev.nuvola.agent.migration.StepOutcome;
import dev.nuvola.agent.migration.StepRunner;
import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.kit.messaging.EventPublisher;

/**
 * Runs the migration steps addressed to this host and answers each exactly once, as {@link ResizeExecutor} does
 * for resizes (see {@link CommandLedger}): the outcome is stored with its event id before it is published, and
 * the command's offset is committed only after the broker has it. Steps and resizes take turns on the host.
 */
@ApplicationScoped
public class MigrationStepExecutor {
    private static final Logger LOG = Logger.getLogger(MigrationStepExecutor.class);

    private final StepRunner runner;
    private final CommandLedger<MigrationEvent> ledger;
    private final PolicyCache policies;
    private final NodeMonitor monitor;
    private final EventPublisher publisher;
    private final HostChanges changes;
    private final AgentConfig config;

    MigrationStepExecutor(GuestDriver driver, Reservations reservations, PolicyCache policies, NodeMonitor monitor,
                          EventPublisher publisher, HostChanges changes, AgentConfig config) {
        SpoolHandoff spool = config.migration().spoolDir().map(SpoolHandoff::new).orElse(null);
        this.runner = new StepRunner(driver, spool, reservations, new StepRunner.Host(config.hostId(),
                config.memoryReserveMiB(), config.migration().targetUriTemplate()));
        this.ledger = CommandLedger.forMigrationSteps(config.stateDir(), config.hostId());
        this.policies = policies;
        this.monitor = monitor;
        this.publisher = publisher;
        this.changes = changes;
        this.config = config;
    }

    /** Returns once the step's outcome is on the broker. */
    public void handle(MigrationCommand command) {
        changes.lock().lock();
        try {
            answer(command);
        } finally {
            changes.lock().unlock();
        }
    }

    private void answer(MigrationCommand command) {
        Optional<CommandLedger.Entry<MigrationEvent>> answered = ledger.find(command.commandId());
        if (answered.isPresent() && answered.get().published()) {
            LOG.infof("migration=%s step=%s command=%s already answered, skipped", command.migrationId(),
                    command.step(), command.commandId());
            return;
        }
        if (answered.isPresent()) {
            publish(answered.get().event(), answered.get().result());
            return;
        }
        StepOutcome outcome = runner.run(command, policies.get(command.guestId()), Instant.now());
        MigrationEvent event = new MigrationEvent(command.migrationId(), command.guestId(),
                outcome.succeeded() ? MigrationEvent.Kind.STEP_SUCCEEDED : MigrationEvent.Kind.STEP_FAILED,
                command.step(), command.commandId(), null, config.hostId(), command.sourceHostId(),
                command.targetHostId(), outcome.reason(), Instant.now());
        CloudEvent meta = publisher.newEvent(MigrationEvent.class);
        ledger.decided(command.commandId(), meta, event);
        publish(meta, event);
        // The guests or the reserved room changed: the scaler and placement must not plan with the old status.
        monitor.publishStatus();
        LOG.infof("migration=%s step=%s guest=%s host=%s outcome=%s %s", command.migrationId(), command.step(),
                command.guestId(), config.hostId(), event.kind(), outcome.reason());
    }

    private void publish(CloudEvent meta, MigrationEvent event) {
        publisher.publishAndAwait(event.migrationId(), event, meta);
        ledger.published(event.commandId());
    }
}
