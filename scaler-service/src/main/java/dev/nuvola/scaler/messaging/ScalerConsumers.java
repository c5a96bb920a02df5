package dev.nuvola.scaler.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.InvalidEventException;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import dev.nuvola.kit.messaging.DeadLetters;
import dev.nuvola.scaler.service.FleetTables;
import dev.nuvola.scaler.service.ScalingService;

/**
 * Kafka in. Samples and results arrive together, in batches, from one consumer of both topics: both are
 * keyed by guest id over the same number of partitions, so a guest's samples and results reach the same
 * instance. A record that does not decode goes to its topic's .dlq with the reason; the rest go on.
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

    @Incoming("scaling-inputs")
    public void onBatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (record.topic().equals(Topics.GUEST_METRICS)) {
                    scaling.onSample(EventRecords.read(record, GuestMetrics.class).payload(), record.partition());
                } else {
                    scaling.onResult(EventRecords.read(record, ResizeResult.class).payload());
                }
            } catch (InvalidEventException e) {
                deadLetters.send(record, e.getMessage());
            }
        }
    }

    @Incoming("guest-policies")
    public void onPolicy(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() != null) {
            tables.removePolicy(record.key());
            return;
        }
        tables.put(EventRecords.read(record, GuestPolicy.class).payload());
    }

    @Incoming("host-status")
    public void onHostStatus(ConsumerRecord<String, byte[]> record) {
        tables.put(EventRecords.read(record, HostStatus.class).payload());
    }

    @Incoming("migration-events")
    public void onMigrationEvent(ConsumerRecord<String, byte[]> record) {
        scaling.onMigrationEvent(EventRecords.read(record, MigrationEvent.class).payload());
    }
}
