package dev.nuvola.migration.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.MigrationState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "migration")
public class Migration extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "guest_id")
    public String guestId;
    @Column(name = "source_host_id")
    public String sourceHostId;
    @Column(name = "target_host_id")
    public String targetHostId;
    @Enumerated(EnumType.STRING)
    public MigrationState state;
    public String reason;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "required_memory_mib")
    public long requiredMemoryMiB;
    @Column(name = "required_vcpus")
    public int requiredVcpus;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Migration byRequest(String requestId) {
        return find("requestId", requestId).firstResult();
    }
}
