package dev.nuvola.migration.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.MigrationRequest;
import dev.nuvola.kit.messaging.DeadLetters;
import dev.nuvola.migration.service.MigrationIntake;
import io.smallrye.common.annotation.Blocking;

/**
 * Kafka in. A record that does not decode goes to its topic's .dlq with the reason; one that cannot be
 * applied now throws, which stops the channel without committing it (readiness goes down).
 */
@ApplicationScoped
public class MigrationConsumers {
    private final MigrationIntake intake;
    private final DeadLetters deadLetters;

    MigrationConsumers(MigrationIntake intake, DeadLetters deadLetters) {
        this.intake = intake;
        this.deadLetters = deadLetters;
    }

    @Incoming("migration-requests")
    @Blocking
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, MigrationRequest.class).ifPresent(e -> intake.accept(e.payload()));
    }
}
