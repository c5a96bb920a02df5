package dev.nuvola.inventory.rest;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.nuvola.events.HostState;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.Host;
import dev.nuvola.inventory.model.ResizeRecord;

/** What the API returns: records, never entities, so the schema can change without breaking clients. */
public final class FleetViews {
    private FleetViews() {
    }

    public record HostView(String id, HostState state, String managementAddress, String driver,
                           List<String> capabilities, long memoryTotalMiB, long memoryFreeMiB, int vcpusTotal,
                           int vcpusFree, Instant observedAt) {
        static HostView of(Host h) {
            List<String> capabilities = h.capabilities.isEmpty() ? List.of() : Arrays.asList(h.capabilities.split(","));
            return new HostView(h.id, h.state, h.managementAddress, h.driver, capabilities, h.memoryTotalMiB,
                    h.memoryFreeMiB, h.vcpusTotal, h.vcpusFree, h.observedAt);
        }
    }

    public record GuestView(String id, String hostId, long memoryMiB, long maxMemoryMiB, int vcpus, int maxVcpus,
                            Instant sizeObservedAt, Long memoryUsedMiB, Double cpuUsage, Instant sampledAt) {
        static GuestView of(Guest g) {
            return new GuestView(g.id, g.hostId, g.memoryMiB, g.maxMemoryMiB, g.vcpus, g.maxVcpus, g.sizeObservedAt,
                    g.memoryUsedMiB, g.cpuUsage, g.sampledAt);
        }
    }

    /** One entry of a guest's timeline. */
    public record HistoryEntry(String kind, String id, Instant at, String hostId, String outcome, String reasonCode,
                               String message, Long memoryBeforeMiB, Long memoryAfterMiB, Integer vcpusBefore,
                               Integer vcpusAfter) {
        static HistoryEntry of(ResizeRecord r) {
            return new HistoryEntry("RESIZE", r.commandId, r.completedAt, r.hostId, r.outcome.name(), r.reasonCode,
                    r.message, r.memoryBeforeMiB, r.memoryAfterMiB, r.vcpusBefore, r.vcpusAfter);
        }
    }
}
