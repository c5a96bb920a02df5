package dev.nuvola.inventory.model;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "guest")
public class Guest extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "host_id")
    public String hostId;
    @Column(name = "memory_mib")
    public long memoryMiB;
    @Column(name = "max_memory_mib")
    public long maxMemoryMiB;
    public int vcpus;
    @Column(name = "max_vcpus")
    public int maxVcpus;
    /** When the size above was true, by the agent's clock. */
    @Column(name = "size_observed_at")
    public Instant sizeObservedAt;
    @Column(name = "memory_used_mib")
    public Long memoryUsedMiB;
    @Column(name = "cpu_usage")
    public Double cpuUsage;
    @Column(name = "sampled_at")
    public Instant sampledAt;
    /** When a completed migration last put the guest on {@link #hostId}, by the migration's clock. */
    @Column(name = "placed_at")
    public Instant placedAt;

    public static List<Guest> onHost(String hostId) {
        return list("hostId", Sort.by("id"), hostId);
    }
}
