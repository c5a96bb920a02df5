package dev.nuvola.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

@ConfigMapping(prefix = "nuvola.agent")
public interface AgentConfig {

    /** This node's id: the key of its host status and of the commands it executes. */
    String hostId();

    /** "libvirt" or "cgroup". */
    @WithDefault("libvirt")
    String driver();

    Libvirt libvirt();

    Cgroup cgroup();

    /** How often guest metrics are collected and published. */
    @WithDefault("1s")
    Duration metricsInterval();

    /**
     * Where in each interval this node samples, from 0 to less than the interval. By default derived from the host
     * id (logic/CycleSlots), so that a fleet's nodes spread their samples over the interval instead of all sending at
     * the whole second.
     */
    Optional<Duration> metricsPhase();

    /** Host status is published on every change and at least this often. */
    @WithDefault("10s")
    Duration statusInterval();

    /** The agent's management address as other hosts reach it (an IPv6 literal, no brackets). */
    @WithDefault("::1")
    String managementAddress();

    /** Memory never handed to guests: the host's own share. */
    @WithName("memory-reserve-mib")
    @WithDefault("512")
    long memoryReserveMiB();

    /** Kept above a guest's working set: no shrink goes below use plus this. */
    @WithName("usage-margin-mib")
    @WithDefault("128")
    long usageMarginMiB();

    /** Where the agent remembers which commands it applied, across restarts. */
    @WithDefault("${java.io.tmpdir}/nuvola-agent")
    Path stateDir();

    Simulation simulation();

    Migration migration();

    /** This host's side of moving guests between hosts. */
    interface Migration {
        /**
         * A directory every host of the site mounts (NFS, say), for save → move → restore. Without it this
         * host neither sends nor receives guests that way.
         */
        Optional<Path> spoolDir();

        /** How this host's hypervisor reaches another's for a live migration; {host} is the target's host id. */
        @WithDefault("qemu+tls://{host}/system")
        String targetUriTemplate();
    }

    /** Only on libvirt's test driver: the demo's and the tests' simulated guests. */
    interface Simulation {
        /** A JSON scenario file giving simulated guests usage curves (steady, ramp, spike, wave). */
        Optional<Path> scenario();
    }

    /** Containers as cgroups: every child of {@code parent} is a guest named after its directory. */
    interface Cgroup {
        @WithDefault("/sys/fs/cgroup")
        Path root();

        /** Relative to each hierarchy's root, e.g. "nuvola" or "machine.slice/nuvola". */
        @WithDefault("nuvola")
        String parent();
    }

    interface Libvirt {
        @WithDefault("qemu:///system")
        String uri();
    }
}
