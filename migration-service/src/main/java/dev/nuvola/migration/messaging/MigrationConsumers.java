package dev.nuvola.migration.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.EventRecords;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.migration.service.MigrationIntake;
import io.smallrye.common.annotation.Blocking;

/** Kafka in. A record that does not decode throws and goes to its topic's .dlq with the reason. */
@ApplicationScoped
public class MigrationConsumers {
    private final MigrationIntake intake;

    MigrationConsumers(MigrationIntake intake) {
        this.intake = intake;
    }

    @Incoming("migration-requests")
    @Blocking
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        intake.accept(EventRecords.read(record, MigrationRequest.class).payload());
    }
}
