package dev.nuvola.events;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Realistic, valid events of every {@link EventType}: {@code full} has every optional field present,
 * {@code minimal} has every optional field the record's domain rules allow to be absent left out.
 */
final class Examples {
    static final Instant T0 = Instant.parse("2026-11-26T15:00:00Z");

    private Examples() {
    }

    static GuestMetrics guestMetrics() {
        return new GuestMetrics("xmpp-01", "host-a", T0, 4096, 3522, 410, 2, 0.63, 512L, 0.04);
    }

    static GuestMetrics guestMetricsMinimal() {
        return new GuestMetrics("lxc-web-07", "host-b", T0.plusMillis(250), 2048, 900, 1148, 1, 0.0, null, null);
    }

    static HostStatus hostStatus() {
        return new HostStatus("host-a", T0, HostState.ACTIVE, "2001:db8:10::a", "libvirt-qemu",
                Set.of(Capability.LIVE_MEMORY_GROW, Capability.LIVE_MEMORY_SHRINK, Capability.LIVE_VCPU,
                        Capability.LIVE_MIGRATION),
                40960, 2048, 16, 6, // 36864 MiB / 10 vCPUs assigned, 2048 MiB reserve
                List.of(new HostGuest("xmpp-01", 4096, 16384, 2, 8),
                        new HostGuest("db-02", 32768, 65536, 8, 16)));
    }

    static HostStatus hostStatusMinimal() {
        return new HostStatus("host-c", T0, HostState.DRAINING, "2001:db8:10::c", "cgroup",
                Set.of(), 16384, 0, 4, 0, List.of());
    }

    static GuestPolicy guestPolicy() {
        return new GuestPolicy("xmpp-01", 1024, 16384, 1, 8, 0.75, 0.7, 100, true, true, "xmpp", T0);
    }

    static GuestPolicy guestPolicyMinimal() {
        return new GuestPolicy("lxc-web-07", 512, 512, 1, 1, 0.8, 0.8, 0, false, false, null, T0);
    }

    static Observation observation() {
        return new Observation(T0.minusSeconds(1), 4096, 3890, 2, 0.91);
    }

    static ResizeCommand resizeCommand() {
        return new ResizeCommand("cmd-7f3a", "xmpp-01", "host-a", 6144L, 3, "memory working set 95% of assigned",
                "scaler", T0, T0.plusSeconds(30), observation());
    }

    static ResizeCommand resizeCommandMinimal() {
        return new ResizeCommand("cmd-7f3b", "lxc-web-07", "host-b", 3072L, null, "manual grow", "alice",
                T0, T0.plusSeconds(60), null);
    }

    static ResizeCommand resizeCommandVcpusOnly() {
        return new ResizeCommand("cmd-7f3c", "lxc-web-07", "host-b", null, 2, "cpu saturated", "scaler",
                T0, T0.plusSeconds(30), null);
    }

    static ResizeResult resizeResult() {
        return new ResizeResult("cmd-7f3a", "xmpp-01", "host-a", ResizeOutcome.APPLIED, null,
                "grown live", new GuestSize(4096, 2), new GuestSize(6144, 3), T0.plusMillis(1200));
    }

    static ResizeResult resizeResultRejected() {
        return new ResizeResult("cmd-7f3d", "xmpp-01", "host-a", ResizeOutcome.REJECTED, "ABOVE_POLICY_MAX",
                "24576 MiB is above the policy maximum 16384 MiB", new GuestSize(4096, 2),
                new GuestSize(4096, 2), T0.plusMillis(80));
    }

    static ResizeResult resizeResultMinimal() {
        return new ResizeResult("cmd-7f3e", "gone-01", "host-a", ResizeOutcome.FAILED, "GUEST_NOT_FOUND", null,
                null, null, T0.plusMillis(10));
    }

    static MigrationRequest migrationRequest() {
        return new MigrationRequest("req-19", "xmpp-01", "host-a", "no headroom on host-a for grow to 12288 MiB", "scaler",
                new GuestSize(12288, 4), "host-d", T0);
    }

    static MigrationRequest migrationRequestMinimal() {
        return new MigrationRequest("req-20", "db-02", "host-a", "drain", "bob", new GuestSize(32768, 8), null, T0);
    }

    static MigrationCommand migrationCommand() {
        return new MigrationCommand("mcmd-1", "mig-42", MigrationStep.PREPARE_TARGET, "host-d", "xmpp-01",
                "host-a", "host-d", MigrationMethod.LIVE, new GuestSize(12288, 4), T0, T0.plusSeconds(120));
    }

    static MigrationEvent migrationEvent() {
        return new MigrationEvent("mig-42", "xmpp-01", MigrationEvent.Kind.STEP_FAILED, MigrationStep.TRANSFER,
                "mcmd-2", MigrationState.TRANSFERRING, "host-a", "host-a", "host-d",
                "libvirt: migration job timed out", T0.plusSeconds(95));
    }

    static MigrationEvent migrationEventStateChanged() {
        return new MigrationEvent("mig-42", "xmpp-01", MigrationEvent.Kind.STATE_CHANGED, null, null,
                MigrationState.ROLLED_BACK, null, null, null, null, T0.plusSeconds(100));
    }

    static MigrationEvent migrationEventMinimal() {
        return new MigrationEvent("mig-42", "xmpp-01", MigrationEvent.Kind.STEP_SUCCEEDED,
                MigrationStep.PREPARE_TARGET, "mcmd-1", null, null, null, null, null, T0.plusSeconds(2));
    }

    /** The full example of each type: every optional field present. */
    static Record full(EventType type) {
        return switch (type) {
            case GUEST_METRICS -> guestMetrics();
            case HOST_STATUS -> hostStatus();
            case GUEST_POLICY -> guestPolicy();
            case RESIZE_COMMAND -> resizeCommand();
            case RESIZE_RESULT -> resizeResult();
            case MIGRATION_REQUEST -> migrationRequest();
            case MIGRATION_COMMAND -> migrationCommand();
            case MIGRATION_EVENT -> migrationEvent();
        };
    }

    /** Every example, by type: full ones first. */
    static Map<EventType, List<Record>> all() {
        Map<EventType, List<Record>> all = new EnumMap<>(EventType.class);
        all.put(EventType.GUEST_METRICS, List.of(guestMetrics(), guestMetricsMinimal()));
        all.put(EventType.HOST_STATUS, List.of(hostStatus(), hostStatusMinimal()));
        all.put(EventType.GUEST_POLICY, List.of(guestPolicy(), guestPolicyMinimal()));
        all.put(EventType.RESIZE_COMMAND, List.of(resizeCommand(), resizeCommandMinimal(), resizeCommandVcpusOnly()));
        all.put(EventType.RESIZE_RESULT, List.of(resizeResult(), resizeResultRejected(), resizeResultMinimal()));
        all.put(EventType.MIGRATION_REQUEST, List.of(migrationRequest(), migrationRequestMinimal()));
        all.put(EventType.MIGRATION_COMMAND, List.of(migrationCommand()));
        all.put(EventType.MIGRATION_EVENT, List.of(migrationEvent(), migrationEventStateChanged(),
                migrationEventMinimal()));
        return all;
    }

    /** The Kafka key the contract prescribes for an event (see Topics and SPEC.md). */
    static String keyOf(Record event) {
        if (event instanceof GuestMetrics e) {
            return e.guestId();
        } else if (event instanceof HostStatus e) {
            return e.hostId();
        } else if (event instanceof GuestPolicy e) {
            return e.guestId();
        } else if (event instanceof ResizeCommand e) {
            return e.hostId();
        } else if (event instanceof ResizeResult e) {
            return e.guestId();
        } else if (event instanceof MigrationRequest e) {
            return e.guestId();
        } else if (event instanceof MigrationCommand e) {
            return e.hostId();
        } else if (event instanceof MigrationEvent e) {
            return e.migrationId();
        }
        throw new IllegalArgumentException(event.getClass().getName());
    }
}
