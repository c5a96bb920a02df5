package dev.nuvola.scaler.service;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.Observation;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.kit.messaging.EventPublisher;
import dev.nuvola.scaler.config.ScalerConfig;
import dev.nuvola.scaler.logic.Decision;
import dev.nuvola.scaler.logic.DecisionLog;
import dev.nuvola.scaler.logic.InFlight;
import dev.nuvola.scaler.logic.StepGrowRule;

/** Samples in, resize commands out. */
@ApplicationScoped
public class ScalingService {
    private static final Logger LOG = Logger.getLogger(ScalingService.class);

    private final StepGrowRule rule;
    private final InFlight inFlight = new InFlight();
    private final DecisionLog decisions = new DecisionLog(100);
    private final EventPublisher publisher;
    private final ScalerConfig config;

    ScalingService(ScalerConfig config, EventPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
        this.rule = new StepGrowRule(config.growThreshold(), config.growStepMiB());
    }

    public void onSample(GuestMetrics sample) {
        Instant now = Instant.now();
        if (!inFlight.mayDecide(sample.guestId(), sample.sampledAt(), now)) {
            return;
        }
        OptionalLong target = rule.decide(sample);
        if (target.isEmpty()) {
            return;
        }
        Instant deadline = now.plus(config.commandDeadline());
        String reason = String.format("memory used %d of %d MiB (%.0f%%) is above %.0f%%: grow by %d MiB",
                sample.memoryUsedMiB(), sample.memoryAssignedMiB(), 100 * sample.memoryUtilisation(),
                100 * config.growThreshold(), config.growStepMiB());
        ResizeCommand command = new ResizeCommand(UUID.randomUUID().toString(), sample.guestId(), sample.hostId(),
                target.getAsLong(), null, reason, "scaler", now, deadline, Observation.of(sample));
        inFlight.started(sample.guestId(), deadline);
        // Keyed by host: the agent of that host reads its commands in order from one partition.
        publisher.publish(command.hostId(), command);
        decisions.add(new Decision(now, command.guestId(), command.hostId(), "RESIZE", command.commandId(),
                command.targetMemoryMiB(), reason));
        LOG.infof("command=%s guest=%s host=%s target=%d MiB: %s", command.commandId(), command.guestId(),
                command.hostId(), target.getAsLong(), reason);
    }

    public DecisionLog decisions() {
        return decisions;
    }

    public void onResult(ResizeResult result) {
        inFlight.settled(result.guestId(), result.completedAt());
    }
}
