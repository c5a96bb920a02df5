package dev.nuvola.inventory.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.events.Envelope;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.inventory.config.InventoryConfig;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.GuestSample;
import dev.nuvola.inventory.model.MigrationRecord;
import dev.nuvola.inventory.model.MigrationStepRecord;
import dev.nuvola.inventory.model.Host;
import dev.nuvola.inventory.model.ProcessedEvent;
import dev.nuvola.inventory.model.ResizeRecord;
import dev.nuvola.inventory.rest.FleetViews;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Applies the agents' events to the fleet. Each effect and its event id commit in one transaction, so
 * a redelivered event changes nothing; the agents' timestamps decide which of two reports is newer.
 */
@ApplicationScoped
public class FleetUpdater {
    private static final Logger LOG = Logger.getLogger(FleetUpdater.class);

    private final InventoryConfig config;
    private final AddressAllocator addresses;
    private final FleetFeed feed;
    /**
     * When each guest's metrics were last stored: a sample arrives every second and one in a few is kept, so
     * most are dropped here without a database read.
     */
    private final Map<String, Instant> lastStoredSample = new ConcurrentHashMap<>();

    FleetUpdater(InventoryConfig config, AddressAllocator addresses, FleetFeed feed) {
        this.config = config;
        this.addresses = addresses;
        this.feed = feed;
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
        feed.announce("HOST", host.id, host.observedAt, FleetViews.HostView.of(host));
        List<String> listedIds = status.guests().stream().map(HostGuest::guestId).toList();
        // Locked: a resize result for one of them may be applied concurrently, and the newer wins.
        Map<String, Guest> stored = lockInIdOrder(listedIds);
        List<String> unchanged = new ArrayList<>();
        for (HostGuest listed : status.guests()) {
            Guest guest = stored.get(listed.guestId());
            if (guest == null) {
                guest = new Guest();
                guest.id = listed.guestId();
            } else if (!status.observedAt().isAfter(guest.sizeObservedAt)) {
                continue;
            } else if (guest.placedAt != null && !status.hostId().equals(guest.hostId)
                    && !status.observedAt().isAfter(guest.placedAt)) {
                // Observed before a migration moved the guest away from this host: a stale view of where it runs.
                continue;
            } else if (status.hostId().equals(guest.hostId) && guest.memoryMiB == listed.memoryMiB()
                    && guest.maxMemoryMiB == listed.maxMemoryMiB() && guest.vcpus == listed.vcpus()
                    && guest.maxVcpus == listed.maxVcpus()) {
                unchanged.add(guest.id);
                continue;
            }
            guest.hostId = status.hostId();
            guest.memoryMiB = listed.memoryMiB();
            guest.maxMemoryMiB = listed.maxMemoryMiB();
            guest.vcpus = listed.vcpus();
            guest.maxVcpus = listed.maxVcpus();
            guest.sizeObservedAt = status.observedAt();
            guest.persist();
            feed.announce("GUEST", guest.id, guest.sizeObservedAt, FleetViews.GuestView.of(guest));
        }
        if (!unchanged.isEmpty()) {
            // Most of a status repeats what is stored. Their observation time still moves, in one statement, so
            // that a resize result older than this status, arriving late, still loses to it; no event, nothing
            // the dashboard shows changed.
            Guest.update("sizeObservedAt = ?1 where id in ?2", status.observedAt(), unchanged);
        }
        // In the same transaction: a guest is never seen without the address it was given on first sight.
        addresses.allocateMissing(listedIds, status.hostId());
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
        feed.announce("RESIZE", result.guestId(), result.completedAt(), FleetViews.HistoryEntry.of(record));

        Guest guest = Guest.findById(result.guestId(), LockModeType.PESSIMISTIC_WRITE);
        if (result.outcome() == ResizeOutcome.APPLIED && guest != null
                && result.completedAt().isAfter(guest.sizeObservedAt)) {
            GuestSize after = result.after();
            guest.memoryMiB = after.memoryMiB();
            guest.vcpus = after.vcpus();
            guest.hostId = result.hostId();
            guest.sizeObservedAt = result.completedAt();
            feed.announce("GUEST", guest.id, guest.sizeObservedAt, FleetViews.GuestView.of(guest));
        }
    }

    @Transactional
    public void applyMigrationEvent(Envelope<MigrationEvent> event) {
        if (!firstTime(event)) {
            return;
        }
        MigrationEvent e = event.payload();
        MigrationStepRecord step = new MigrationStepRecord();
        step.eventId = event.meta().id();
        step.migrationId = e.migrationId();
        step.guestId = e.guestId();
        step.kind = e.kind();
        step.step = e.step();
        step.commandId = e.commandId();
        step.state = e.state();
        step.hostId = e.hostId();
        step.sourceHostId = e.sourceHostId();
        step.targetHostId = e.targetHostId();
        step.reason = e.reason();
        step.occurredAt = e.occurredAt();
        step.persist();

        MigrationRecord migration = MigrationRecord.findById(e.migrationId(), LockModeType.PESSIMISTIC_WRITE);
        if (migration == null) {
            migration = new MigrationRecord();
            migration.migrationId = e.migrationId();
            migration.guestId = e.guestId();
            migration.startedAt = e.occurredAt();
            migration.updatedAt = e.occurredAt();
        }
        if (e.sourceHostId() != null) {
            migration.sourceHostId = e.sourceHostId();
        }
        if (e.targetHostId() != null) {
            migration.targetHostId = e.targetHostId();
        }
        if (e.occurredAt().isBefore(migration.startedAt)) {
            migration.startedAt = e.occurredAt();
        }
        // Events of one migration share a partition, but agents and the saga publish them: the latest by time wins.
        if (!e.occurredAt().isBefore(migration.updatedAt)) {
            if (e.state() != null) {
                migration.state = e.state();
            }
            if (e.reason() != null) {
                migration.reason = e.reason();
            }
            migration.updatedAt = e.occurredAt();
        }
        migration.persist();
        feed.announce("MIGRATION", e.guestId(), e.occurredAt(), FleetViews.HistoryEntry.of(step));

        if (e.kind() == MigrationEvent.Kind.STATE_CHANGED && e.state() == MigrationState.COMPLETED
                && migration.targetHostId != null) {
            Guest guest = Guest.findById(e.guestId(), LockModeType.PESSIMISTIC_WRITE);
            if (guest != null && (guest.placedAt == null || e.occurredAt().isAfter(guest.placedAt))) {
                LOG.infof("guest=%s migration=%s completed: now on host=%s (was %s)", guest.id, e.migrationId(),
                        migration.targetHostId, guest.hostId);
                guest.hostId = migration.targetHostId;
                guest.placedAt = e.occurredAt();
                feed.announce("GUEST", guest.id, e.occurredAt(), FleetViews.GuestView.of(guest));
            }
        }
    }

    /**
     * A sampled view: a sample is kept only when it is at least the sampling interval newer than the last kept
     * one, so older and repeated samples are dropped too. That check is also what makes a redelivered sample
     * change nothing (it is never newer than the one stored), so samples, unlike the other events, leave no
     * event id behind: at a thousand kept samples a second those rows would outgrow everything else.
     * The samples of one poll that are due commit in one transaction; most are dropped before it, from memory.
     */
    public void applyMetrics(List<Envelope<GuestMetrics>> events) {
        List<GuestMetrics> due = new ArrayList<>();
        for (Envelope<GuestMetrics> event : events) {
            GuestMetrics sample = event.payload();
            Instant last = lastStoredSample.get(sample.guestId());
            if (last == null || !tooSoon(last, sample.sampledAt())) {
                due.add(sample);
            }
        }
        if (!due.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> {
                Map<String, Guest> guests = lockInIdOrder(due.stream().map(GuestMetrics::guestId).toList());
                due.forEach(sample -> store(sample, guests.get(sample.guestId())));
            });
        }
    }

    /**
     * The guests, each locked for this transaction, in one query. Always in id order: a status and a poll of
     * samples each lock many guests, and two transactions that lock in the same order cannot deadlock.
     */
    private static Map<String, Guest> lockInIdOrder(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return Guest.<Guest>find("id in ?1 order by id", ids).withLock(LockModeType.PESSIMISTIC_WRITE).stream()
                .collect(Collectors.toMap(g -> g.id, g -> g));
    }

    private void store(GuestMetrics sample, Guest guest) {
        Instant last = lastStoredSample.get(sample.guestId());
        if (last != null && tooSoon(last, sample.sampledAt())) {
            return; // a newer sample of the same guest earlier in this poll was kept
        }
        if (guest == null) {
            // Guests come from their host's status, which carries their limits; a sample alone does not.
            return;
        }
        if (guest.sampledAt != null && tooSoon(guest.sampledAt, sample.sampledAt())) {
            lastStoredSample.put(sample.guestId(), guest.sampledAt);
            return;
        }
        guest.memoryUsedMiB = sample.memoryUsedMiB();
        guest.cpuUsage = sample.cpuUsage();
        guest.sampledAt = sample.sampledAt();
        GuestSample kept = new GuestSample();
        kept.guestId = sample.guestId();
        kept.sampledAt = sample.sampledAt();
        kept.memoryAssignedMiB = sample.memoryAssignedMiB();
        kept.memoryUsedMiB = sample.memoryUsedMiB();
        kept.vcpus = sample.vcpus();
        kept.cpuUsage = sample.cpuUsage();
        kept.persist();
        lastStoredSample.put(sample.guestId(), sample.sampledAt());
        feed.announce("SAMPLE", sample.guestId(), sample.sampledAt(), FleetViews.SampleView.of(kept));
    }

    private boolean tooSoon(Instant kept, Instant sampled) {
        return Duration.between(kept, sampled).compareTo(config.metricsSampleInterval()) < 0;
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
