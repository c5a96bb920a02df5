package dev.nuvola.migration.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** The evacuation of one host. */
@Entity
@Table(name = "drain")
public class Drain extends PanacheEntityBase {
    public enum State {
        /** Migrations are being started and awaited. */
        RUNNING,
        /** Every guest moved: the host is empty and stays out of placement until the drain is ended. */
        COMPLETED,
        /** Every migration ended, some not completed: the host stays out of placement until the drain is ended. */
        FAILED,
        /** An operator ended the maintenance: the host takes guests again. */
        ENDED;

        /** Whether the host is kept out of placement. */
        public boolean holdsHost() {
            return this != ENDED;
        }
    }

    @Id
    public String id;
    @Column(name = "host_id")
    public String hostId;
    @Enumerated(EnumType.STRING)
    public State state;
    public int concurrency;
    public String reason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Drain latestFor(String hostId) {
        return find("hostId", Sort.descending("createdAt"), hostId).firstResult();
    }
}
