package dev.nuvola.inventory.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.HostState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "host")
public class Host extends PanacheEntityBase {
    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public HostState state;
    @Column(name = "management_address")
    public String managementAddress;
    public String driver;
    /** Comma-separated capability names. */
    public String capabilities;
    @Column(name = "memory_total_mib")
    public long memoryTotalMiB;
    @Column(name = "memory_free_mib")
    public long memoryFreeMiB;
    @Column(name = "vcpus_total")
    public int vcpusTotal;
    @Column(name = "vcpus_free")
    public int vcpusFree;
    @Column(name = "observed_at")
    public Instant observedAt;
}
