package dev.nuvola.inventory.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.Host;
import dev.nuvola.inventory.model.ProcessedEvent;
import dev.nuvola.inventory.model.ResizeRecord;

/**
 * Applies the agents' events to the fleet. Each effect and its event id commit in one transaction, so
 * a redelivered event changes nothing; the agents' timestamps decide which of two reports is newer.
 */
@ApplicationScoped
public class FleetUpdater {
    private static final Logger LOG = Logger.getLogger(FleetUpdater.class);

    private final Duration metricsSampleInterval;
    /** When each guest's metrics were last stored: every second a sample arrives, one in a few is kept. */
    private final Map<String, Instant> lastStoredSample = new ConcurrentHashMap<>();

    FleetUpdater(@ConfigProperty(name = "nuvola.inventory.metrics-sample-interval", defaultValue = "5s")
                 Duration metricsSampleInterval) {
        this.metricsSampleInterval = metricsSampleInterval;
    }

    @Transactional
    public void applyHostStatus(Envelope<HostStatus> event) {
        if (!firstTime(event)) {
            return;
        }
        HostStatus status = event.payload();
        Host host = Host.findById(status.hostId(), LockModeType.PESSIMISTIC_WRITE);
        if (host == null) {
            host = new Host();
            host.id = status.hostId();
        } else if (!status.observedAt().isAfter(host.observedAt)) {
            LOG.debugf("host=%s status of %s is older than the stored one, ignored", status.hostId(),
                    status.observedAt());
            return;
        }
        host.state = status.state();
        host.managementAddress = status.managementAddress();
        host.driver = status.driver();
        host.capabilities = status.capabilities().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        host.memoryTotalMiB = status.memoryTotalMiB();
        host.memoryFreeMiB = status.memoryFreeMiB();
        host.vcpusTotal = status.vcpusTotal();
        host.vcpusFree = status.vcpusFree();
        host.observedAt = status.observedAt();
        host.persist();
        for (HostGuest listed : status.guests()) {
            // Locked: a resize result for this guest may be applied concurrently, and the newer of the two wins.
            Guest guest = Guest.findById(listed.guestId(), LockModeType.PESSIMISTIC_WRITE);
            if (guest == null) {
                guest = new Guest();
                guest.id = listed.guestId();
            } else if (!status.observedAt().isAfter(guest.sizeObservedAt)) {
                continue;
            }
            guest.hostId = status.hostId();
            guest.memoryMiB = listed.memoryMiB();
            guest.maxMemoryMiB = listed.maxMemoryMiB();
            guest.vcpus = listed.vcpus();
            guest.maxVcpus = listed.maxVcpus();
            guest.sizeObservedAt = status.observedAt();
            guest.persist();
        }
    }

    @Transactional
    public void applyResizeResult(Envelope<ResizeResult> event) {
        if (!firstTime(event)) {
            return;
        }
        ResizeResult result = event.payload();
        if (ResizeRecord.findById(result.commandId()) != null) {
            // A repeated result (same command, new event id): the first one is the record.
            LOG.infof("command=%s result already recorded, repeat ignored", result.commandId());
            return;
        }
        ResizeRecord record = new ResizeRecord();
        record.commandId = result.commandId();
        record.guestId = result.guestId();
        record.hostId = result.hostId();
        record.outcome = result.outcome();
        record.reasonCode = result.reasonCode();
        record.message = result.message();
        if (result.before() != null) {
            record.memoryBeforeMiB = result.before().memoryMiB();
            record.vcpusBefore = result.before().vcpus();
        }
        if (result.after() != null) {
            record.memoryAfterMiB = result.after().memoryMiB();
            record.vcpusAfter = result.after().vcpus();
        }
        record.completedAt = result.completedAt();
        record.persist();

        Guest guest = Guest.findById(result.guestId(), LockModeType.PESSIMISTIC_WRITE);
        if (result.outcome() == ResizeOutcome.APPLIED && guest != null
                && result.completedAt().isAfter(guest.sizeObservedAt)) {
            GuestSize after = result.after();
            guest.memoryMiB = after.memoryMiB();
            guest.vcpus = after.vcpus();
            guest.hostId = result.hostId();
            guest.sizeObservedAt = result.completedAt();
        }
    }

    /** Metrics are a sampled view: no dedupe needed, a repeated sample writes the same values. */
    @Transactional
    public void applyMetrics(GuestMetrics sample) {
        Instant last = lastStoredSample.get(sample.guestId());
        if (last != null && Duration.between(last, sample.sampledAt()).compareTo(metricsSampleInterval) < 0) {
            return;
        }
        Guest guest = Guest.findById(sample.guestId());
        if (guest == null) {
            // Guests come from their host's status, which carries their limits; a sample alone does not.
            return;
        }
        if (guest.sampledAt == null || sample.sampledAt().isAfter(guest.sampledAt)) {
            guest.memoryUsedMiB = sample.memoryUsedMiB();
            guest.cpuUsage = sample.cpuUsage();
            guest.sampledAt = sample.sampledAt();
            lastStoredSample.put(sample.guestId(), sample.sampledAt());
        }
    }

    /** Records the event id; false when it was applied before (the caller then does nothing). */
    private static boolean firstTime(Envelope<?> event) {
        if (ProcessedEvent.findById(event.meta().id()) != null) {
            LOG.debugf("event %s already applied", event.meta().id());
            return false;
        }
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = event.meta().id();
        processed.processedAt = Instant.now();
        processed.persist();
        return true;
    }
}
