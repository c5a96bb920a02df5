package dev.nuvola.migration.model;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One guest of a drain: where the plan put it, and the migration that moves it once started. */
@Entity
@Table(name = "drain_guest")
@IdClass(DrainGuest.Key.class)
public class DrainGuest extends PanacheEntityBase {
    public static class Key implements Serializable {
        public String drainId;
        public String guestId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(drainId, k.drainId) && Objects.equals(guestId, k.guestId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(drainId, guestId);
        }
    }

    @Id
    @Column(name = "drain_id")
    public String drainId;
    @Id
    @Column(name = "guest_id")
    public String guestId;
    public int position;
    @Column(name = "memory_mib")
    public long memoryMiB;
    public int vcpus;
    /** The plan's target; the migration is placed again when it starts, against the fleet as it is then. */
    @Column(name = "target_host_id")
    public String targetHostId;
    @Column(name = "migration_id")
    public String migrationId;
}
