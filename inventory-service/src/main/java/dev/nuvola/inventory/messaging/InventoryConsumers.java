package dev.nuvola.inventory.messaging;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.inventory.service.FleetUpdater;
import dev.nuvola.kit.messaging.DeadLetters;
import io.smallrye.common.annotation.Blocking;

/**
 * Kafka in. A record that does not decode goes to its topic's .dlq with the reason; one that cannot be
 * applied now throws, which stops the channel without committing it (readiness goes down).
 */
@ApplicationScoped
public class InventoryConsumers {
    private final FleetUpdater fleet;
    private final DeadLetters deadLetters;

    InventoryConsumers(FleetUpdater fleet, DeadLetters deadLetters) {
        this.fleet = fleet;
        this.deadLetters = deadLetters;
    }

    @Incoming("host-status")
    @Blocking
    public void onHostStatus(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, HostStatus.class).ifPresent(fleet::applyHostStatus);
    }

    @Incoming("resize-results")
    @Blocking
    public void onResizeResult(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, ResizeResult.class).ifPresent(fleet::applyResizeResult);
    }

    /** A whole poll at a time: a thousand samples a second, each handed over on its own, cost half a core. */
    @Incoming("guest-metrics")
    @Blocking
    public void onMetrics(ConsumerRecords<String, byte[]> records) {
        List<Envelope<GuestMetrics>> samples = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            deadLetters.read(record, GuestMetrics.class).ifPresent(samples::add);
        }
        fleet.applyMetrics(samples);
    }

    @Incoming("migration-events")
    @Blocking
    public void onMigrationEvent(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, MigrationEvent.class).ifPresent(fleet::applyMigrationEvent);
    }
}
