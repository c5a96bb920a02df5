package dev.nuvola.events;

import static dev.nuvola.events.Rejections.edit;
import static dev.nuvola.events.Rejections.invalid;
import static dev.nuvola.events.Rejections.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Rules between fields, checked by the records' constructors whichever way the record is made. */
class DomainRuleTest {
    @Test
    void policyMinAboveMax() {
        refused(GuestPolicy.class, edit(Examples.guestPolicy(), t -> t.put("minMemoryMiB", 32768)),
                "minMemoryMiB", "must not exceed maxMemoryMiB (16384)");
        refused(GuestPolicy.class, edit(Examples.guestPolicy(), t -> t.put("minVcpus", 9)),
                "minVcpus", "must not exceed maxVcpus (8)");
        assertThat(EventCodec.decode(edit(Examples.guestPolicy(), t -> t.put("minMemoryMiB", 16384).put("minVcpus", 8)),
                GuestPolicy.class).minMemoryMiB()).isEqualTo(16384);
    }

    @Test
    void resizeWithNeitherTarget() {
        refused(ResizeCommand.class, edit(Examples.resizeCommand(), t -> {
            t.remove("targetMemoryMiB");
            t.remove("targetVcpus");
        }), "targetMemoryMiB", "needs targetMemoryMiB or targetVcpus");
        refused(ResizeCommand.class, edit(Examples.resizeCommand(), t -> {
            t.putNull("targetMemoryMiB");
            t.putNull("targetVcpus");
        }), "targetMemoryMiB", "targetVcpus");
    }

    @Test
    void resizeToZeroVcpus() {
        refused(ResizeCommand.class, edit(Examples.resizeCommand(), t -> t.put("targetVcpus", 0)), "targetVcpus", "at least 1");
    }

    @Test
    void deadlineBeforeIssuedAt() {
        refused(ResizeCommand.class, edit(Examples.resizeCommand(), t -> t.put("deadline", "2026-11-26T14:59:59Z")),
                "deadline", "before issuedAt");
        assertThat(EventCodec.decode(edit(Examples.resizeCommand(), t -> t.put("deadline", "2026-11-26T15:00:00Z")),
                ResizeCommand.class).deadline()).isEqualTo(Examples.T0);
    }

    @Test
    void resultNotAppliedWithoutReasonCode() {
        refused(ResizeResult.class, edit(Examples.resizeResultRejected(), t -> t.remove("reasonCode")),
                "reasonCode", "is required when the outcome is REJECTED");
        refused(ResizeResult.class, edit(Examples.resizeResultMinimal(), t -> t.put("reasonCode", " ")),
                "reasonCode", "is required when the outcome is FAILED");
    }

    @Test
    void resultAppliedWithoutAfter() {
        refused(ResizeResult.class, edit(Examples.resizeResult(), t -> t.remove("after")),
                "after", "is required when the outcome is APPLIED");
    }

    @Test
    void migrationCommandHostNeitherSourceNorTarget() {
        refused(MigrationCommand.class, edit(Examples.migrationCommand(), t -> t.put("hostId", "host-z")),
                "hostId", "must be the source or the target host");
        assertThat(EventCodec.decode(edit(Examples.migrationCommand(), t -> t.put("hostId", "host-a")),
                MigrationCommand.class).hostId()).isEqualTo("host-a");
    }

    @Test
    void migrationCommandSourceEqualsTarget() {
        refused(MigrationCommand.class, edit(Examples.migrationCommand(), t -> t.put("sourceHostId", "host-d")),
                "targetHostId", "must differ from sourceHostId");
    }

    @Test
    void migrationEventKindNeedsItsFields() {
        refused(MigrationEvent.class, edit(Examples.migrationEventStateChanged(), t -> t.remove("state")),
                "state", "is required for STATE_CHANGED");
        refused(MigrationEvent.class, edit(Examples.migrationEventMinimal(), t -> t.remove("step")),
                "step", "is required for STEP_SUCCEEDED");
        refused(MigrationEvent.class, edit(Examples.migrationEventMinimal(), t -> t.remove("commandId")),
                "commandId", "is required for STEP_SUCCEEDED");
        refused(MigrationEvent.class, edit(Examples.migrationEvent(), t -> t.remove("reason")),
                "reason", "is required for STEP_FAILED");
        refused(MigrationEvent.class, edit(Examples.migrationEvent(), t -> t.put("reason", "")),
                "reason", "is required for STEP_FAILED");
    }

    @Test
    void hostFreeAboveTotal() {
        refused(HostStatus.class, edit(Examples.hostStatus(), t -> t.put("memoryFreeMiB", 40961)),
                "memoryFreeMiB", "between 0 and memoryTotalMiB (40960)");
        refused(HostStatus.class, edit(Examples.hostStatus(), t -> t.put("vcpusFree", 17)),
                "vcpusFree", "between 0 and vcpusTotal (16)");
    }

    @Test
    void constructorsEnforceTheSameRules() {
        Instant t = Examples.T0;
        assertThat(invalid(() -> new GuestPolicy("g", 2048, 1024, 1, 2, 0.5, 0.5, 0, true, false, null, t)).field())
                .isEqualTo("minMemoryMiB");
        assertThat(invalid(() -> new ResizeCommand("c", "g", "h", null, null, "r", "scaler", t, t, null)).field())
                .isEqualTo("targetMemoryMiB");
        assertThat(invalid(() -> new ResizeCommand("c", "g", "h", 1024L, null, "r", "scaler", t, t.minusMillis(1), null)).field())
                .isEqualTo("deadline");
        assertThat(invalid(() -> new ResizeResult("c", "g", "h", ResizeOutcome.REJECTED, null, null, null, null, t)).field())
                .isEqualTo("reasonCode");
        assertThat(invalid(() -> new MigrationCommand("c", "m", MigrationStep.ABORT, "x", "g", "a", "b",
                MigrationMethod.LIVE, new GuestSize(1, 1), t, t)).field()).isEqualTo("hostId");
        assertThat(invalid(() -> new GuestMetrics("g", "h", t, 2147483648000L, 0, 0, 1, 0, null, null)).field())
                .isEqualTo("memoryAssignedMiB");
        assertThat(invalid(() -> new GuestMetrics("g", "h", t, 1, 0, 0, 1, Double.NaN, null, null)).field())
                .isEqualTo("cpuUsage");
        assertThat(invalid(() -> new HostStatus("h", t, HostState.ACTIVE, "::1", "d", null, 1, 1, 1, 1, List.of())).field())
                .isEqualTo("capabilities");
        assertThat(invalid(() -> new HostStatus("h", t, HostState.ACTIVE, "::1", "d", Set.of(), 1, 1, 1, 1, null)).field())
                .isEqualTo("guests");
        assertThat(invalid(() -> new CloudEvent("id", "type", "source", null)).field()).isEqualTo("ce_time");
    }
}
