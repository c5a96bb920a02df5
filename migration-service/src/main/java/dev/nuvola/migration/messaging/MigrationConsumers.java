package dev.nuvola.migration.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.kit.messaging.DeadLetters;
import dev.nuvola.migration.service.DrainService;
import dev.nuvola.migration.service.FleetView;
import dev.nuvola.migration.service.MigrationIntake;
import dev.nuvola.migration.service.SagaService;
import io.smallrye.common.annotation.Blocking;

/**
 * Kafka in. A record that does not decode goes to its topic's .dlq with the reason; one that cannot be
 * applied now throws, which stops the channel without committing it (readiness goes down).
 */
@ApplicationScoped
public class MigrationConsumers {
    private final MigrationIntake intake;
    private final SagaService sagas;
    private final FleetView fleet;
    private final DrainService drains;
    private final DeadLetters deadLetters;

    MigrationConsumers(MigrationIntake intake, SagaService sagas, FleetView fleet, DrainService drains,
                       DeadLetters deadLetters) {
        this.intake = intake;
        this.sagas = sagas;
        this.fleet = fleet;
        this.drains = drains;
        this.deadLetters = deadLetters;
    }

    @Incoming("migration-requests")
    @Blocking
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, MigrationRequest.class).ifPresent(e -> intake.acceptAndPlan(e.payload(), null));
    }

    /** Step outcomes from the agents (and this service's own state changes, which it skips). */
    @Incoming("migration-events")
    @Blocking
    public void onMigrationEvent(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, MigrationEvent.class).ifPresent(sagas::onEvent);
    }

    @Incoming("host-status")
    @Blocking
    public void onHostStatus(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, HostStatus.class).ifPresent(e -> {
            HostStatus held = fleet.put(e.payload());
            if (held == e.payload() && drains.held().contains(held.hostId())) {
                drains.reassert(held);
            }
        });
    }

    @Incoming("guest-policies")
    public void onPolicy(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() != null) {
            fleet.removePolicy(record.key());
            return;
        }
        deadLetters.read(record, GuestPolicy.class).ifPresent(e -> fleet.put(e.payload()));
    }
}
