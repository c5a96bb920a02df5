package dev.nuvola.inventory.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.GuestPolicy;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "scaling_policy")
public class ScalingPolicy extends PanacheEntityBase {
    @Id
    @Column(name = "guest_id")
    public String guestId;
    @Column(name = "min_memory_mib")
    public long minMemoryMiB;
    @Column(name = "max_memory_mib")
    public long maxMemoryMiB;
    @Column(name = "min_vcpus")
    public int minVcpus;
    @Column(name = "max_vcpus")
    public int maxVcpus;
    @Column(name = "target_memory_utilisation")
    public double targetMemoryUtilisation;
    @Column(name = "target_cpu_utilisation")
    public double targetCpuUtilisation;
    public int priority;
    public boolean migratable;
    @Column(name = "never_restart")
    public boolean neverRestart;
    @Column(name = "anti_affinity_group")
    public String antiAffinityGroup;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public void set(GuestPolicy p) {
        guestId = p.guestId();
        minMemoryMiB = p.minMemoryMiB();
        maxMemoryMiB = p.maxMemoryMiB();
        minVcpus = p.minVcpus();
        maxVcpus = p.maxVcpus();
        targetMemoryUtilisation = p.targetMemoryUtilisation();
        targetCpuUtilisation = p.targetCpuUtilisation();
        priority = p.priority();
        migratable = p.migratable();
        neverRestart = p.neverRestart();
        antiAffinityGroup = p.antiAffinityGroup();
        updatedAt = p.updatedAt();
    }

    public GuestPolicy toEvent() {
        return new GuestPolicy(guestId, minMemoryMiB, maxMemoryMiB, minVcpus, maxVcpus, targetMemoryUtilisation,
                targetCpuUtilisation, priority, migratable, neverRestart, antiAffinityGroup, updatedAt);
    }
}
