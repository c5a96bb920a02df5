package dev.nuvola.inventory.model;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** One migration event, kept for the guest's timeline. */
@Entity
@Table(name = "migration_step_record")
public class MigrationStepRecord extends PanacheEntityBase {
    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "migration_id")
    public String migrationId;
    @Column(name = "guest_id")
    public String guestId;
    @Enumerated(EnumType.STRING)
    public MigrationEvent.Kind kind;
    @Enumerated(EnumType.STRING)
    public MigrationStep step;
    @Column(name = "command_id")
    public String commandId;
    @Enumerated(EnumType.STRING)
    public MigrationState state;
    @Column(name = "host_id")
    public String hostId;
    @Column(name = "source_host_id")
    public String sourceHostId;
    @Column(name = "target_host_id")
    public String targetHostId;
    public String reason;
    @Column(name = "occurred_at")
    public Instant occurredAt;

    public static List<MigrationStepRecord> ofGuest(String guestId) {
        return list("guestId", Sort.by("occurredAt"), guestId);
    }
}
