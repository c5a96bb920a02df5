package dev.nuvola.agent.driver;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent needs from a hypervisor or container runtime. Implementations are thin: no policy,
 * no safety checks (those live in the agent's plain-Java guard), just reads and live changes.
 */
public interface GuestDriver extends AutoCloseable {

    /** "libvirt" or "cgroup": reported in host status. */
    String name();

    /** What this driver can do without restarting a guest. The platform never asks for more. */
    Set<DriverCapability> capabilities();

    /** The node's total memory and CPUs. */
    HostCapacity capacity();

    /** Every guest on this node, read in one bulk call per cycle. */
    List<GuestState> guests();

    Optional<GuestState> guest(String name);

    /**
     * The guests' sizes summed, as {@link #guests()} would give them: for the safety checks of a change, which
     * need the totals now but not each guest's usage. Drivers override it where that is cheaper.
     */
    default Allocation allocation() {
        return Allocation.of(guests());
    }

    /** Sets the running guest's memory, live. Throws if the guest is gone or the hypervisor refuses. */
    void setMemory(String name, long memoryMiB);

    /** Sets the running guest's vCPU count, live. */
    void setVcpus(String name, int vcpus);

    // ---- moving a guest to another host: only what capabilities() claims is ever called ----

    /**
     * LIVE_MIGRATION: moves the running guest to {@code targetUri} (the target host's hypervisor, e.g.
     * {@code qemu+tcp://[2001:db8::7]/system}) without stopping it; afterwards it is defined there and no longer here.
     */
    default void migrateLive(String name, String targetUri) {
        throw new DriverException(name() + " cannot migrate guests live");
    }

    /** SAVE_RESTORE: stops the guest, writing its memory and definition to {@code file}. */
    default void save(String name, Path file) {
        throw new DriverException(name() + " cannot save guests");
    }

    /** SAVE_RESTORE: starts the guest saved in {@code file} here, defined persistently; returns its name. */
    default String restore(Path file) {
        throw new DriverException(name() + " cannot restore guests");
    }

    /** Removes a guest that is not running (saved, or moved away) from this host's definitions. */
    default void undefine(String name) {
        throw new DriverException(name() + " cannot remove guests");
    }

    /** Stops a running guest at once (a copy restored here by a migration that is being rolled back). */
    default void destroy(String name) {
        throw new DriverException(name() + " cannot stop guests");
    }

    @Override
    void close();
}
