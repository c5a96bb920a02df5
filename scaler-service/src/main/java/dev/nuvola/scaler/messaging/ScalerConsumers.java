package dev.nuvola.scaler.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.scaler.service.ScalingService;

/** Kafka in. A record that does not decode throws and goes to its topic's .dlq with the reason. */
@ApplicationScoped
public class ScalerConsumers {
    private final ScalingService scaling;

    ScalerConsumers(ScalingService scaling) {
        this.scaling = scaling;
    }

    @Incoming("guest-metrics")
    public void onMetrics(ConsumerRecord<String, byte[]> record) {
        scaling.onSample(EventRecords.read(record, GuestMetrics.class).payload());
    }

    @Incoming("resize-results")
    public void onResult(ConsumerRecord<String, byte[]> record) {
        scaling.onResult(EventRecords.read(record, ResizeResult.class).payload());
    }
}
