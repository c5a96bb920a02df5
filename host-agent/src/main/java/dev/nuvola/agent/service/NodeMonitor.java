package dev.nuvola.agent.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.driver.Allocation;
import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;
import dev.nuvola.agent.logic.CycleSlots;
import dev.nuvola.agent.messaging.TelemetryPublisher;
import dev.nuvola.agent.migration.Reservations;
import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The node's sampling loop: one bulk read of the driver per cycle, one metrics record per guest, and
 * the host status whenever it changed (or is due, so the compacted topic never goes stale). Cycles run on a thread
 * of their own at the node's slots ({@link CycleSlots}), not on Quarkus' scheduler, which fires at whole seconds
 * only: with it, every node of a fleet sent its samples at the same instant.
 */
@ApplicationScoped
public class NodeMonitor {
    private static final Logger LOG = Logger.getLogger(NodeMonitor.class);

    private final GuestDriver driver;
    private final UsageSource usage;
    private final TelemetryPublisher publisher;
    private final AgentConfig config;
    private final Map<String, Long> previousCpuTime = new HashMap<>();
    private long previousSampleNanos = -1;
    /** The last cycle's read: what a status published between cycles starts from. */
    private List<GuestState> lastGuests;
    private HostStatus lastStatus;
    private Instant lastStatusAt = Instant.EPOCH;

    /** One whole cycle: the driver's read, every guest's sample handed to the producer, the host status. */
    private final Timer cycleTimer;
    /** The driver's bulk read alone. */
    private final Timer readTimer;

    private final Reservations reservations;
    private final HostMode mode;
    private final ScheduledExecutorService cycles = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "node-monitor");
        thread.setDaemon(true);
        return thread;
    });
    private CycleSlots slots;

    NodeMonitor(GuestDriver driver, UsageSource usage, TelemetryPublisher publisher, AgentConfig config,
                MeterRegistry registry, Reservations reservations, HostMode mode) {
        this.reservations = reservations;
        this.mode = mode;
        this.driver = driver;
        this.usage = usage;
        this.publisher = publisher;
        this.config = config;
        this.cycleTimer = Timer.builder("nuvola.agent.sample.cycle").description("one metrics cycle of the node")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.readTimer = Timer.builder("nuvola.agent.driver.read").description("the driver's read of every guest")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        slots = config.metricsPhase().map(phase -> new CycleSlots(config.metricsInterval(), phase))
                .orElseGet(() -> CycleSlots.forHost(config.hostId(), config.metricsInterval()));
        LOG.infof("sampling every %d ms, at +%d ms of each interval", config.metricsInterval().toMillis(), slots.phaseMillis());
        scheduleNextCycle();
    }

    void stop(@Observes ShutdownEvent event) {
        cycles.shutdown();
        try {
            cycles.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void scheduleNextCycle() {
        long now = System.currentTimeMillis();
        try {
            cycles.schedule(this::cycle, slots.nextAfter(now) - now, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void cycle() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.errorf(e, "a metrics cycle failed; the next one runs at its slot");
        } finally {
            scheduleNextCycle();
        }
    }

    synchronized void sample() {
        long now = System.nanoTime();
        Instant sampledAt = Instant.now();
        List<GuestState> guests = guests();
        readTimer.record(System.nanoTime() - now, TimeUnit.NANOSECONDS);
        for (GuestState guest : guests) {
            if (!guest.running()) {
                continue;
            }
            if (!guest.hasUsage()) {
                // Publishing a guess would drive real resizes: without a measure there is no sample.
                LOG.debugf("guest %s: the driver reports no memory usage, no sample published", guest.name());
                continue;
            }
            double cpu = usage.cpuUsage(guest, previousCpuTime.getOrDefault(guest.name(), -1L),
                    previousSampleNanos < 0 ? 0 : now - previousSampleNanos);
            previousCpuTime.put(guest.name(), guest.cpuTimeNanos());
            long used = Math.min(guest.usedMiB(), guest.memoryMiB());
            if (!publisher.publish(guest.name(), new GuestMetrics(guest.name(), config.hostId(), sampledAt,
                    guest.memoryMiB(), used, guest.memoryMiB() - used, guest.vcpus(), cpu, null, null))) {
                break; // the broker is away: the next cycle samples again
            }
        }
        previousSampleNanos = now;
        lastGuests = guests;
        publishStatusIfChangedOrDue(guests, sampledAt);
        cycleTimer.record(System.nanoTime() - now, TimeUnit.NANOSECONDS);
    }

    /** Every guest with its usage, as the agent's REST view sees it. */
    public List<GuestState> guests() {
        return driver.guests().stream().map(usage::withUsage).toList();
    }

    /** One guest with its usage, as the guard sees it; empty if the driver knows no such guest. */
    public Optional<GuestState> guest(String name) {
        return driver.guest(name).map(usage::withUsage);
    }

    /** Publishes now, read afresh: after a migration step, which adds or removes a guest here. */
    public synchronized void publishStatus() {
        publishStatusIfChangedOrDue(guests(), Instant.now());
    }

    /**
     * Publishes now, after a resize, so that the headroom the scaler sees is never older than the change: the
     * last cycle's guests with the resized one as it is now, rather than a second read of every guest per command.
     */
    public synchronized void publishStatus(GuestState resized) {
        if (lastGuests == null) {
            publishStatus();
            return;
        }
        List<GuestState> guests = new ArrayList<>(lastGuests.size() + 1);
        boolean listed = false;
        for (GuestState guest : lastGuests) {
            boolean same = guest.name().equals(resized.name());
            guests.add(same ? resized : guest);
            listed |= same;
        }
        if (!listed) {
            guests.add(resized); // it came since the last cycle
        }
        lastGuests = guests;
        publishStatusIfChangedOrDue(guests, Instant.now());
    }

    private void publishStatusIfChangedOrDue(List<GuestState> guests, Instant now) {
        HostStatus status = status(guests, now);
        boolean due = Duration.between(lastStatusAt, now).compareTo(config.statusInterval()) >= 0;
        if ((due || lastStatus == null || !sameContent(status, lastStatus))
                && publisher.publish(config.hostId(), status)) {
            lastStatus = status;
            lastStatusAt = now;
        }
    }

    HostStatus status(List<GuestState> guests, Instant now) {
        HostCapacity capacity = driver.capacity();
        Allocation allocated = Allocation.of(guests);
        long assigned = allocated.memoryMiB() + reservations.memoryMiB();
        int vcpus = allocated.vcpus() + reservations.vcpus();
        long free = clamp(capacity.memoryMiB() - config.memoryReserveMiB() - assigned, capacity.memoryMiB());
        int freeVcpus = (int) clamp(capacity.cpus() - vcpus, capacity.cpus());
        List<HostGuest> listed = guests.stream()
                .map(g -> new HostGuest(g.name(), g.memoryMiB(), g.maxMemoryMiB(), g.vcpus(), g.maxVcpus()))
                .toList();
        return new HostStatus(config.hostId(), now, mode.state(), config.managementAddress(), driver.name(),
                capabilities(driver.capabilities()), capacity.memoryMiB(), free, capacity.cpus(), freeVcpus, listed);
    }

    private static Set<Capability> capabilities(Set<DriverCapability> driverCapabilities) {
        return driverCapabilities.stream().map(c -> Capability.valueOf(c.name())).collect(Collectors.toSet());
    }

    private static long clamp(long value, long max) {
        return Math.max(0, Math.min(value, max));
    }

    private static boolean sameContent(HostStatus a, HostStatus b) {
        return a.memoryFreeMiB() == b.memoryFreeMiB() && a.vcpusFree() == b.vcpusFree()
                && a.state() == b.state() && a.guests().equals(b.guests());
    }
}
