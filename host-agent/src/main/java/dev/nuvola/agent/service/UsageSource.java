package dev.nuvola.agent.service;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.simulation.Scenario;
import dev.nuvola.agent.simulation.SimulatedWorkload;

/**
 * Where a guest's usage comes from: the driver's own measure, or the simulated workload when the agent
 * runs on libvirt's test driver (and only then: a real hypervisor's guests are never simulated).
 */
@ApplicationScoped
public class UsageSource {
    private final SimulatedWorkload simulation;

    UsageSource(AgentConfig config) {
        boolean simulated = "libvirt".equals(config.driver()) && config.libvirt().uri().startsWith("test:");
        if (config.simulation().scenario().isPresent() && !simulated) {
            throw new IllegalStateException("nuvola.agent.simulation.scenario is set, but simulation runs only on "
                    + "libvirt's test driver (test:///...), not on " + config.libvirt().uri());
        }
        Scenario scenario = config.simulation().scenario().map(Scenario::read).orElse(new Scenario(Map.of()));
        this.simulation = simulated ? new SimulatedWorkload(scenario, Clock.systemUTC()) : null;
    }

    public boolean simulated() {
        return simulation != null;
    }

    /** The simulation, for its REST endpoint; throws when the agent drives real guests. */
    public SimulatedWorkload simulation() {
        if (simulation == null) {
            throw new IllegalStateException("simulation is only available on libvirt's test driver");
        }
        return simulation;
    }

    /** The guest with its working set filled in: measured, simulated, or assumed to be all its memory. */
    public GuestState withUsage(GuestState guest) {
        if (simulation != null) {
            long used = Math.min(simulation.loadOf(guest).workingSetMiB(), guest.memoryMiB());
            return new GuestState(guest.name(), guest.running(), guest.memoryMiB(), guest.maxMemoryMiB(),
                    guest.vcpus(), guest.maxVcpus(), used, guest.cpuTimeNanos());
        }
        return guest;
    }

    /** Busy fraction of the guest's vCPUs over {@code intervalNanos}, from its CPU time delta. */
    public double cpuUsage(GuestState guest, long previousCpuTimeNanos, long intervalNanos) {
        if (simulation != null) {
            return simulation.loadOf(guest).cpuUsage();
        }
        if (previousCpuTimeNanos < 0 || intervalNanos <= 0 || guest.vcpus() == 0) {
            return 0.0;
        }
        double busy = (double) (guest.cpuTimeNanos() - previousCpuTimeNanos) / intervalNanos / guest.vcpus();
        return Math.max(0.0, Math.min(1.0, busy));
    }
}
