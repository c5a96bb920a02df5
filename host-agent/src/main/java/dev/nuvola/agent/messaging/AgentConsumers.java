package dev.nuvola.agent.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.service.PolicyCache;
import dev.nuvola.agent.service.ResizeExecutor;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.ResizeCommand;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Kafka in. A record that does not decode throws, and the channel's failure strategy sends it to the
 * topic's .dlq with the reason; the consumer goes on with the next record.
 */
@ApplicationScoped
public class AgentConsumers {
    private final AgentConfig config;
    private final ResizeExecutor executor;
    private final PolicyCache policies;

    AgentConsumers(AgentConfig config, ResizeExecutor executor, PolicyCache policies) {
        this.config = config;
        this.executor = executor;
        this.policies = policies;
    }

    /** Commands are keyed by host: every agent reads the topic and executes only its own, in order. */
    @Incoming("resize-commands")
    @Blocking(ordered = true)
    public void onResizeCommand(ConsumerRecord<String, byte[]> record) {
        if (!config.hostId().equals(record.key())) {
            return;
        }
        executor.handle(EventRecords.read(record, ResizeCommand.class).payload());
    }

    /** A compacted topic: a null value (tombstone) means the guest's policy was removed. */
    @Incoming("guest-policies")
    public void onPolicy(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() != null) {
            policies.remove(record.key());
            return;
        }
        policies.put(EventRecords.read(record, GuestPolicy.class).payload());
    }
}
