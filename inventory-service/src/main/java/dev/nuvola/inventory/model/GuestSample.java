package dev.nuvola.inventory.model;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** A kept metrics sample: at most one per guest per sampling interval, deleted after the retention time. */
@Entity
@Table(name = "guest_sample")
@IdClass(GuestSample.Key.class)
public class GuestSample extends PanacheEntityBase {
    public static class Key implements Serializable {
        public String guestId;
        public Instant sampledAt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(guestId, k.guestId)
                    && java.util.Objects.equals(sampledAt, k.sampledAt);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(guestId, sampledAt);
        }
    }

    @Id
    @Column(name = "guest_id")
    public String guestId;
    @Id
    @Column(name = "sampled_at")
    public Instant sampledAt;
    @Column(name = "memory_assigned_mib")
    public long memoryAssignedMiB;
    @Column(name = "memory_used_mib")
    public long memoryUsedMiB;
    public int vcpus;
    @Column(name = "cpu_usage")
    public double cpuUsage;

    public static List<GuestSample> ofGuestSince(String guestId, Instant since) {
        return list("guestId = ?1 and sampledAt >= ?2", Sort.by("sampledAt"), guestId, since);
    }
}
