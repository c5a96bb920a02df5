package dev.nuvola.agent.service;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.driver.Allocation;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;
import dev.nuvola.agent.logic.ResizeGuard;
import dev.nuvola.agent.migration.Reservations;
import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.kit.messaging.EventPublisher;

/**
 * Applies resize commands live, one at a time, each checked by {@link ResizeGuard} against the node's
 * state read right before. Exactly one result per command, across restarts: see {@link CommandLedger}.
 */
@ApplicationScoped
public class ResizeExecutor {
    private static final Logger LOG = Logger.getLogger(ResizeExecutor.class);

    private final GuestDriver driver;
    private final NodeMonitor monitor;
    private final PolicyCache policies;
    private final CommandLedger<ResizeResult> ledger;
    private final EventPublisher publisher;
    private final AgentConfig config;

    private final Reservations reservations;
    private final HostChanges changes;

    ResizeExecutor(GuestDriver driver, NodeMonitor monitor, PolicyCache policies, EventPublisher publisher,
                   AgentConfig config, Reservations reservations, HostChanges changes) {
        this.reservations = reservations;
        this.changes = changes;
        this.driver = driver;
        this.monitor = monitor;
        this.policies = policies;
        this.ledger = CommandLedger.forResizes(config.stateDir(), config.hostId());
        this.publisher = publisher;
        this.config = config;
    }

    /**
     * Answers the command exactly once. Returns only when the answer is on the broker, so the caller may
     * then let the command's offset be committed.
     */
    public void handle(ResizeCommand command) {
        changes.lock().lock();
        try {
            answer(command);
        } finally {
            changes.lock().unlock();
        }
    }

    private void answer(ResizeCommand command) {
        Optional<CommandLedger.Entry<ResizeResult>> answered = ledger.find(command.commandId());
        if (answered.isPresent() && answered.get().published()) {
            LOG.infof("command=%s already answered, skipped", command.commandId());
            return;
        }
        if (answered.isPresent()) {
            LOG.infof("command=%s answered before a restart, sending its result again", command.commandId());
            publish(answered.get().event(), answered.get().result());
            return;
        }
        ResizeResult result = execute(command);
        CloudEvent event = publisher.newEvent(ResizeResult.class);
        ledger.decided(command.commandId(), event, result);
        publish(event, result);
        if (result.outcome() == ResizeOutcome.APPLIED) {
            monitor.guest(command.guestId()).ifPresentOrElse(monitor::publishStatus, monitor::publishStatus);
        }
        LOG.infof("command=%s guest=%s host=%s outcome=%s %s", command.commandId(), command.guestId(),
                command.hostId(), result.outcome(), result.reasonCode() == null ? "" : result.reasonCode());
    }

    private void publish(CloudEvent event, ResizeResult result) {
        publisher.publishAndAwait(result.guestId(), result, event);
        ledger.published(result.commandId());
    }

    ResizeResult execute(ResizeCommand command) {
        Optional<GuestState> guest = monitor.guest(command.guestId());
        Allocation allocated = driver.allocation();
        HostCapacity capacity = driver.capacity();
        ResizeGuard.Context context = new ResizeGuard.Context(config.hostId(), Instant.now(), guest,
                policies.get(command.guestId()), capacity.memoryMiB(), capacity.cpus(),
                allocated.memoryMiB() + reservations.memoryMiB(), allocated.vcpus() + reservations.vcpus(),
                config.memoryReserveMiB(), config.usageMarginMiB(), driver.capabilities());
        GuestSize before = guest.map(ResizeExecutor::size).orElse(null);
        ResizeGuard.Verdict verdict = ResizeGuard.check(command, context);
        if (!verdict.allowed()) {
            return result(command, ResizeOutcome.REJECTED, verdict.reason().name(), verdict.message(), before, before);
        }
        try {
            if (command.targetMemoryMiB() != null && command.targetMemoryMiB() != before.memoryMiB()) {
                driver.setMemory(command.guestId(), command.targetMemoryMiB());
            }
            if (command.targetVcpus() != null && command.targetVcpus() != before.vcpus()) {
                driver.setVcpus(command.guestId(), command.targetVcpus());
            }
        } catch (RuntimeException e) {
            GuestSize now = driver.guest(command.guestId()).map(ResizeExecutor::size).orElse(null);
            return result(command, ResizeOutcome.FAILED, "DRIVER_ERROR", e.getMessage(), before, now);
        }
        GuestSize after = driver.guest(command.guestId()).map(ResizeExecutor::size).orElse(null);
        return result(command, ResizeOutcome.APPLIED, null, "applied live", before, after);
    }

    private ResizeResult result(ResizeCommand command, ResizeOutcome outcome, String code, String message,
                                GuestSize before, GuestSize after) {
        return new ResizeResult(command.commandId(), command.guestId(), config.hostId(), outcome, code, message,
                before, after, Instant.now());
    }

    private static GuestSize size(GuestState guest) {
        return new GuestSize(guest.memoryMiB(), guest.vcpus());
    }
}
