package dev.nuvola.migration.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.migration.logic.saga.Saga;
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
    @Enumerated(EnumType.STRING)
    public MigrationMethod method;
    @Enumerated(EnumType.STRING)
    public MigrationStep step;
    @Column(name = "step_host_id")
    public String stepHostId;
    public int attempt;
    @Column(name = "command_id")
    public String commandId;
    @Column(name = "step_deadline")
    public Instant stepDeadline;
    @Enumerated(EnumType.STRING)
    @Column(name = "failed_in")
    public MigrationState failedIn;
    /** The drain that started this migration, if one did. */
    @Column(name = "drain_id")
    public String drainId;

    public Saga toSaga() {
        return new Saga(id, guestId, sourceHostId, targetHostId, method, new GuestSize(requiredMemoryMiB, requiredVcpus),
                state, step, stepHostId, attempt, commandId, stepDeadline, failedIn, reason);
    }

    /** Takes the saga's progress; identity and request fields never change. */
    public void apply(Saga saga, Instant now) {
        targetHostId = saga.targetHostId();
        method = saga.method();
        state = saga.state();
        step = saga.step();
        stepHostId = saga.stepHostId();
        attempt = saga.attempt();
        commandId = saga.commandId();
        stepDeadline = saga.stepDeadline();
        failedIn = saga.failedIn();
        reason = saga.reason();
        updatedAt = now;
    }

    public static Migration byRequest(String requestId) {
        return find("requestId", requestId).firstResult();
    }
}
