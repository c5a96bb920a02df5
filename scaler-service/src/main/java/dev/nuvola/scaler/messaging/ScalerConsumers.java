package dev.nuvola.scaler.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import dev.nuvola.kit.messaging.DeadLetters;
import dev.nuvola.scaler.service.FleetTables;
import dev.nuvola.scaler.service.ScalingService;

/**
 * Kafka in. Samples and results arrive together, in batches, from one consumer of both topics
 * ({@link ScalingInputs}): both are keyed by guest id over the same number of partitions, so a guest's samples
 * and results reach the same instance. A record that does not decode goes to its topic's .dlq with the reason; the rest go on. One
 * that cannot be handled now throws, which stops the channel without committing it.
 */
@ApplicationScoped
public class ScalerConsumers {
    private final ScalingService scaling;
    private final FleetTables tables;
    private final DeadLetters deadLetters;

    ScalerConsumers(ScalingService scaling, FleetTables tables, DeadLetters deadLetters) {
        this.scaling = scaling;
        this.tables = tables;
        this.deadLetters = deadLetters;
    }

    /** Called by {@link ScalingInputs}, on its thread, with each poll's records. */
    public void onBatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.topic().equals(Topics.GUEST_METRICS)) {
                deadLetters.read(record, GuestMetrics.class).ifPresent(e -> scaling.onSample(e.payload(), record.partition()));
            } else {
                deadLetters.read(record, ResizeResult.class).ifPresent(e -> scaling.onResult(e.payload()));
            }
        }
    }

    @Incoming("guest-policies")
    public void onPolicy(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() != null) {
            tables.removePolicy(record.key());
            return;
        }
        deadLetters.read(record, GuestPolicy.class).ifPresent(e -> tables.put(e.payload()));
    }

    @Incoming("host-status")
    public void onHostStatus(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, HostStatus.class).ifPresent(e -> tables.put(e.payload()));
    }

    @Incoming("migration-events")
    public void onMigrationEvent(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, MigrationEvent.class).ifPresent(e -> scaling.onMigrationEvent(e.payload()));
    }
}
