package dev.nuvola.agent.driver;

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

    /** Sets the running guest's memory, live. Throws if the guest is gone or the hypervisor refuses. */
    void setMemory(String name, long memoryMiB);

    /** Sets the running guest's vCPU count, live. */
    void setVcpus(String name, int vcpus);

    @Override
    void close();
}
