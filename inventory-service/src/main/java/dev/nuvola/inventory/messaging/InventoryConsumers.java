package dev.nuvola.inventory.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.inventory.service.FleetUpdater;
import io.smallrye.common.annotation.Blocking;

/** Kafka in. A record that does not decode throws and goes to its topic's .dlq with the reason. */
@ApplicationScoped
public class InventoryConsumers {
    private final FleetUpdater fleet;

    InventoryConsumers(FleetUpdater fleet) {
        this.fleet = fleet;
    }

    @Incoming("host-status")
    @Blocking
    public void onHostStatus(ConsumerRecord<String, byte[]> record) {
        fleet.applyHostStatus(EventRecords.read(record, HostStatus.class));
    }

    @Incoming("resize-results")
    @Blocking
    public void onResizeResult(ConsumerRecord<String, byte[]> record) {
        fleet.applyResizeResult(EventRecords.read(record, ResizeResult.class));
    }

    @Incoming("guest-metrics")
    @Blocking
    public void onMetrics(ConsumerRecord<String, byte[]> record) {
        fleet.applyMetrics(EventRecords.read(record, GuestMetrics.class).payload());
    }
}
