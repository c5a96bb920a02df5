package dev.nuvola.inventory.rest;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.nuvola.events.HostState;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.GuestAddress;
import dev.nuvola.inventory.model.GuestSample;
import dev.nuvola.inventory.model.Host;
import dev.nuvola.inventory.model.MigrationStepRecord;
import dev.nuvola.inventory.model.Prefix;
import dev.nuvola.inventory.model.ResizeRecord;

/** What the API returns: records, never entities, so the schema can change without breaking clients. */
public final class FleetViews {
    private FleetViews() {
    }

    public record HostView(String id, HostState state, String managementAddress, String driver,
                           List<String> capabilities, long memoryTotalMiB, long memoryFreeMiB, int vcpusTotal,
                           int vcpusFree, Instant observedAt) {
        public static HostView of(Host h) {
            List<String> capabilities = h.capabilities.isEmpty() ? List.of() : Arrays.asList(h.capabilities.split(","));
            return new HostView(h.id, h.state, h.managementAddress, h.driver, capabilities, h.memoryTotalMiB,
                    h.memoryFreeMiB, h.vcpusTotal, h.vcpusFree, h.observedAt);
        }
    }

    /** @param address the guest's IPv6 address, absent until a prefix covers its host */
    public record GuestView(String id, String hostId, long memoryMiB, long maxMemoryMiB, int vcpus, int maxVcpus,
                            Instant sizeObservedAt, Long memoryUsedMiB, Double cpuUsage, Instant sampledAt,
                            String address) {
        public static GuestView of(Guest g) {
            GuestAddress address = GuestAddress.findById(g.id);
            return of(g, address == null ? null : address.address);
        }

        public static GuestView of(Guest g, String address) {
            return new GuestView(g.id, g.hostId, g.memoryMiB, g.maxMemoryMiB, g.vcpus, g.maxVcpus, g.sizeObservedAt,
                    g.memoryUsedMiB, g.cpuUsage, g.sampledAt, address);
        }
    }

    /**
     * One entry of a guest's timeline: a resize ({@code kind} RESIZE, {@code id} the command) or a migration
     * event ({@code kind} MIGRATION, {@code id} the migration, {@code outcome} the saga's state or the step's
     * result). {@code message} is the reason.
     */
    public record HistoryEntry(String kind, String id, Instant at, String hostId, String outcome, String reasonCode,
                               String message, Long memoryBeforeMiB, Long memoryAfterMiB, Integer vcpusBefore,
                               Integer vcpusAfter, String step, String sourceHostId, String targetHostId) {
        public static HistoryEntry of(ResizeRecord r) {
            return new HistoryEntry("RESIZE", r.commandId, r.completedAt, r.hostId, r.outcome.name(), r.reasonCode,
                    r.message, r.memoryBeforeMiB, r.memoryAfterMiB, r.vcpusBefore, r.vcpusAfter, null, null, null);
        }

        public static HistoryEntry of(MigrationStepRecord m) {
            String outcome = m.state != null ? m.state.name() : m.kind.name();
            return new HistoryEntry("MIGRATION", m.migrationId, m.occurredAt, m.hostId, outcome, null, m.reason, null,
                    null, null, null, m.step == null ? null : m.step.name(), m.sourceHostId, m.targetHostId);
        }
    }

    /** A kept metrics sample, for the dashboard's chart. */
    public record SampleView(String guestId, Instant sampledAt, long memoryAssignedMiB, long memoryUsedMiB, int vcpus,
                             double cpuUsage) {
        public static SampleView of(GuestSample s) {
            return new SampleView(s.guestId, s.sampledAt, s.memoryAssignedMiB, s.memoryUsedMiB, s.vcpus, s.cpuUsage);
        }
    }

    /** @param allocated addresses handed out from it so far */
    public record PrefixView(long id, String prefix, Prefix.Scope scope, String scopeId, long allocated,
                             Instant createdAt) {
        public static PrefixView of(Prefix p) {
            return new PrefixView(p.id, p.prefix, p.scope, p.scopeId, p.nextOffset - 1, p.createdAt);
        }
    }
}
