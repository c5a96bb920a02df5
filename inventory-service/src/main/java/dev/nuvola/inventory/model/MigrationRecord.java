package dev.nuvola.inventory.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.MigrationState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A migration as its latest event (by the events' own time) left it. */
@Entity
@Table(name = "migration_record")
public class MigrationRecord extends PanacheEntityBase {
    @Id
    @Column(name = "migration_id")
    public String migrationId;
    @Column(name = "guest_id")
    public String guestId;
    @Enumerated(EnumType.STRING)
    public MigrationState state;
    @Column(name = "source_host_id")
    public String sourceHostId;
    @Column(name = "target_host_id")
    public String targetHostId;
    public String reason;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
