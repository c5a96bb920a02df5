package dev.nuvola.agent.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.service.PolicyCache;
import dev.nuvola.agent.service.HostMode;
import dev.nuvola.agent.service.MigrationStepExecutor;
import dev.nuvola.agent.service.ResizeExecutor;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.kit.messaging.DeadLetters;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Kafka in. A record that does not decode goes to its topic's .dlq with the reason and the consumer goes
 * on; one that cannot be handled now (the result cannot be published) throws, which stops the channel
 * without committing it, so the command is read again after a restart.
 */
@ApplicationScoped
public class AgentConsumers {
    private final AgentConfig config;
    private final ResizeExecutor executor;
    private final PolicyCache policies;
    private final DeadLetters deadLetters;

    private final MigrationStepExecutor steps;
    private final HostMode mode;
    private final String eventSource;

    AgentConsumers(AgentConfig config, ResizeExecutor executor, MigrationStepExecutor steps, PolicyCache policies,
                   DeadLetters deadLetters, HostMode mode,
                   @ConfigProperty(name = "nuvola.event-source") String eventSource) {
        this.steps = steps;
        this.mode = mode;
        this.eventSource = eventSource;
        this.config = config;
        this.executor = executor;
        this.policies = policies;
        this.deadLetters = deadLetters;
    }

    /** Commands are keyed by host: every agent reads the topic and executes only its own, in order. */
    @Incoming("resize-commands")
    @Blocking(ordered = true)
    public void onResizeCommand(ConsumerRecord<String, byte[]> record) {
        if (forAnotherHost(record)) {
            return;
        }
        deadLetters.read(record, ResizeCommand.class).ifPresent(e -> executor.handle(e.payload()));
    }

    /** Migration steps are keyed by host too: this host's part of moving a guest here or away. */
    @Incoming("migration-commands")
    @Blocking(ordered = true)
    public void onMigrationCommand(ConsumerRecord<String, byte[]> record) {
        if (forAnotherHost(record)) {
            return;
        }
        deadLetters.read(record, MigrationCommand.class).ifPresent(e -> steps.handle(e.payload()));
    }

    /**
     * A command keyed with another host is that agent's to handle. One keyed with no host is addressed to nobody:
     * skipped by every agent it would be lost unseen, so every agent dead-letters it instead.
     */
    private boolean forAnotherHost(ConsumerRecord<String, byte[]> record) {
        return record.key() != null && !record.key().isBlank() && !config.hostId().equals(record.key());
    }

    /**
     * This host's own status as others publish it: the migration service marks a drain there. The agent's own
     * records (its event source) are skipped.
     */
    @Incoming("own-status")
    public void onOwnStatus(ConsumerRecord<String, byte[]> record) {
        if (!config.hostId().equals(record.key()) || record.value() == null) {
            return;
        }
        deadLetters.read(record, HostStatus.class)
                .filter(e -> !e.meta().source().equals(eventSource))
                .ifPresent(e -> mode.markedBy(e.payload()));
    }

    /** A compacted topic: a null value (tombstone) means the guest's policy was removed. */
    @Incoming("guest-policies")
    public void onPolicy(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() != null) {
            policies.remove(record.key());
            return;
        }
        deadLetters.read(record, GuestPolicy.class).ifPresent(e -> policies.put(e.payload()));
    }
}
