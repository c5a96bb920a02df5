package dev.nuvola.inventory.model;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.ResizeOutcome;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

@Entity
@Table(name = "resize_record")
public class ResizeRecord extends PanacheEntityBase {
    @Id
    @Column(name = "command_id")
    public String commandId;
    @Column(name = "guest_id")
    public String guestId;
    @Column(name = "host_id")
    public String hostId;
    @Enumerated(EnumType.STRING)
    public ResizeOutcome outcome;
    @Column(name = "reason_code")
    public String reasonCode;
    public String message;
    @Column(name = "memory_before_mib")
    public Long memoryBeforeMiB;
    @Column(name = "vcpus_before")
    public Integer vcpusBefore;
    @Column(name = "memory_after_mib")
    public Long memoryAfterMiB;
    @Column(name = "vcpus_after")
    public Integer vcpusAfter;
    @Column(name = "completed_at")
    public Instant completedAt;

    public static List<ResizeRecord> ofGuest(String guestId) {
        return list("guestId", Sort.by("completedAt"), guestId);
    }
}
