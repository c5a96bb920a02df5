package dev.nuvola.agent.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.nuvola.agent.driver.GuestState;

/**
 * The usage of guests that have no real workload (libvirt's test driver), for the demo and the
 * end-to-end tests. A guest's working set is kept in MiB, not as a fraction, so after a grow the same
 * load is a smaller share of the larger memory, as with a real guest. Never used with a real hypervisor.
 * A load set by hand wins over the guest's scenario curve.
 */
public final class SimulatedWorkload {

    /** What a simulated guest uses: working set in MiB and busy fraction of its vCPUs. */
    public record Load(long workingSetMiB, double cpuUsage) {
        public Load {
            if (workingSetMiB < 0) {
                throw new IllegalArgumentException("workingSetMiB must not be negative");
            }
            if (cpuUsage < 0 || cpuUsage > 1) {
                throw new IllegalArgumentException("cpuUsage must be a fraction from 0.0 to 1.0");
            }
        }
    }

    /** A guest nobody set a load for uses this share of its memory: comfortably inside the band. */
    static final double DEFAULT_MEMORY_SHARE = 0.5;
    static final double DEFAULT_CPU_USAGE = 0.2;

    private final Map<String, Load> loads = new ConcurrentHashMap<>();
    private final Scenario scenario;
    private final Clock clock;
    private final Instant start;

    public SimulatedWorkload(Scenario scenario, Clock clock) {
        this.scenario = scenario;
        this.clock = clock;
        this.start = clock.instant();
    }

    public void set(String guest, Load load) {
        loads.put(guest, load);
    }

    public Optional<Load> get(String guest) {
        return Optional.ofNullable(loads.get(guest));
    }

    /**
     * The load of {@code guest} now: the one set by hand, else its scenario curve's, else a default drawn
     * from its size the first time it is seen.
     */
    public Load loadOf(GuestState guest) {
        Load set = loads.get(guest.name());
        if (set != null) {
            return set;
        }
        UsageCurve curve = scenario.guests().get(guest.name());
        if (curve != null) {
            return new Load(curve.workingSetMiB(Duration.between(start, clock.instant())), curve.cpuUsage());
        }
        return loads.computeIfAbsent(guest.name(),
                name -> new Load(Math.round(guest.memoryMiB() * DEFAULT_MEMORY_SHARE), DEFAULT_CPU_USAGE));
    }
}
