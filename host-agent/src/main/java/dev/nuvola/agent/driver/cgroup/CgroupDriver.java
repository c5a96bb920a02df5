package dev.nuvola.agent.driver.cgroup;

import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.DriverException;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_GROW;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_SHRINK;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_VCPU;

/**
 * {@link GuestDriver} over Linux cgroups, for containers ("OpenVZ et simila"): every child cgroup
 * of a configured parent is a guest, named after its directory. Memory is the cgroup's memory
 * limit, vCPUs its CFS quota in whole periods (quota / period, rounded up). Both change live by
 * writing the cgroup's files; nothing restarts.
 *
 * <p>The version is detected once, at construction: v2 when the root holds
 * {@code cgroup.controllers} and no {@code memory} directory (the unified hierarchy,
 * {@code ROOT/PARENT/GUEST}); v1 when {@code ROOT/memory/memory.limit_in_bytes} exists (one tree per
 * controller, {@code ROOT/memory/PARENT/GUEST}, {@code ROOT/cpu/...}, {@code ROOT/cpuacct/...}).
 * A hybrid host (v1 controllers plus an empty {@code unified} v2 mount) is v1.
 *
 * <p>Sizes as reported:
 * <ul>
 *   <li>maxMemoryMiB: the host's memory, or less if the parent cgroup or one of its ancestors has a
 *       lower memory limit (what the kernel lets a guest grow to). maxVcpus likewise: the host's
 *       CPUs, or the smallest ancestor CFS quota in whole CPUs. A container has no hypervisor
 *       maximum; this is the ceiling the kernel enforces.</li>
 *   <li>memoryMiB: the guest's limit, no limit ("max", or v1's huge default) reading as maxMemoryMiB;
 *       vCPUs: its quota, none (v1 -1, v2 "max") reading as maxVcpus; both capped at the maximum.</li>
 *   <li>usedMiB: the working set, usage minus inactive file cache (v1 {@code memory.usage_in_bytes}
 *       − {@code total_inactive_file}, v2 {@code memory.current} − {@code inactive_file}), as
 *       kubelet and cAdvisor compute it.</li>
 *   <li>cpuTimeNanos: v1 {@code cpuacct.usage}, v2 {@code cpu.stat usage_usec} × 1000;
 *       {@link GuestState#UNKNOWN} if the guest has no cpuacct cgroup.</li>
 *   <li>running: at least one process in the guest's cgroup or below it.</li>
 * </ul>
 *
 * <p>A cycle reads six or seven small files per guest and never shells out. Reads take no lock;
 * changes are serialized ({@code synchronized}), so a v2 shrink's reclaim-then-limit is not
 * interleaved with another change.
 */
public final class CgroupDriver implements GuestDriver {

    private static final System.Logger LOG = System.getLogger(CgroupDriver.class.getName());

    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");

    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path ONLINE_CPUS = Path.of("/sys/devices/system/cpu/online");

    private static final Set<DriverCapability> CAPABILITIES =
            Set.copyOf(EnumSet.of(LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK, LIVE_VCPU));

    public enum Version { V1, V2 }

    private final Path root;
    private final String parent;
    private final CgroupHierarchy hierarchy;

    private volatile boolean closed;

    /** Guests under {@code /sys/fs/cgroup}: see {@link #CgroupDriver(Path, String)}. */
    public CgroupDriver(String parent) {
        this(DEFAULT_ROOT, parent);
    }

    /**
     * @param root   where the cgroup filesystems are mounted, normally {@code /sys/fs/cgroup}
     * @param parent the guests' parent cgroup, relative to each hierarchy's root: {@code nuvola},
     *               or a nested path such as {@code machine.slice/nuvola}. It must exist (in v1, at
     *               least under the memory controller).
     * @throws DriverException if root holds no cgroup hierarchy, or the parent does not exist
     */
    public CgroupDriver(Path root, String parent) {
        this.root = root;
        this.parent = checkParent(parent);
        if (CgroupV2.detect(root)) {
            this.hierarchy = new CgroupV2(root, this.parent);
        } else if (CgroupV1.detect(root)) {
            this.hierarchy = new CgroupV1(root, this.parent);
        } else {
            throw new DriverException("no cgroup hierarchy at " + root + ": neither v2 (" + root.resolve("cgroup.controllers")
                    + " without a memory directory) nor v1 (" + root.resolve("memory/memory.limit_in_bytes") + ")");
        }
        if (!Files.isDirectory(hierarchy.guestsDir())) {
            throw new DriverException("the guests' parent cgroup " + hierarchy.guestsDir() + " does not exist ("
                    + hierarchy.describe() + ")");
        }
        String missing = hierarchy.missingControllers();
        if (!missing.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: no {1}; guests read as unlimited there and take no change"
                    + " of it", hierarchy.describe(), missing);
        }
        LOG.log(System.Logger.Level.INFO, "cgroup driver on {0}", hierarchy.describe());
    }

    private static String checkParent(String parent) {
        if (parent == null || parent.isBlank()) {
            throw new IllegalArgumentException("the guests' parent cgroup must be named, e.g. \"nuvola\"");
        }
        String trimmed = parent.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        for (String part : trimmed.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("not a cgroup path relative to the hierarchy root: \"" + parent + "\"");
            }
        }
        return trimmed;
    }

    @Override
    public String name() {
        return "cgroup";
    }

    public Version version() {
        return hierarchy.version();
    }

    public Path root() {
        return root;
    }

    public String parent() {
        return parent;
    }

    /** The directory whose subdirectories are the guests (v1: under the memory controller). */
    public Path guestsDir() {
        return hierarchy.guestsDir();
    }

    @Override
    public Set<DriverCapability> capabilities() {
        return CAPABILITIES;
    }

    /** /proc/meminfo MemTotal and the online CPUs (not the JVM's own, possibly cgroup-limited, view). */
    @Override
    public HostCapacity capacity() {
        ensureOpen();
        long memTotalKiB;
        try {
            OptionalLong kib = CgroupFiles.memTotalKiB(CgroupFiles.read(MEMINFO));
            if (kib.isEmpty()) {
                throw new DriverException("no MemTotal in " + MEMINFO);
            }
            memTotalKiB = kib.getAsLong();
        } catch (IOException e) {
            throw new DriverException("cannot read " + MEMINFO + ": " + CgroupFiles.reason(e), e);
        }
        return new HostCapacity(memTotalKiB / 1024, onlineCpus());
    }

    private static int onlineCpus() {
        try {
            int cpus = CgroupFiles.countCpuList(CgroupFiles.read(ONLINE_CPUS));
            if (cpus > 0) {
                return cpus;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read {0}: {1}", ONLINE_CPUS, e.getMessage());
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Every child cgroup of the parent, running or not; one that disappears while read is left out. */
    @Override
    public List<GuestState> guests() {
        ensureOpen();
        Limits limits = limits();
        List<String> names;
        try {
            names = hierarchy.guestNames();
        } catch (IOException e) {
            throw new DriverException("cannot list guests in " + hierarchy.guestsDir() + ": " + CgroupFiles.reason(e), e);
        }
        List<GuestState> guests = new ArrayList<>(names.size());
        for (String name : names) {
            read(name, limits).ifPresent(guests::add);
        }
        return guests;
    }

    @Override
    public Optional<GuestState> guest(String name) {
        ensureOpen();
        if (!isGuestName(name) || !Files.isDirectory(hierarchy.guestDir(name))) {
            return Optional.empty();
        }
        return read(name, limits());
    }

    /**
     * Writes the guest's memory limit (v1 {@code memory.limit_in_bytes}, v2 {@code memory.max}).
     * A shrink below what the kernel can reclaim is refused, the limit unchanged: v1 answers
     * EBUSY; on v2 the driver reclaims first (see {@link CgroupV2}).
     */
    @Override
    public synchronized void setMemory(String name, long memoryMiB) {
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("memory must be positive: " + memoryMiB + " MiB");
        }
        ensureOpen();
        requireGuest(name);
        hierarchy.setMemoryLimit(name, memoryMiB);
    }

    /** Writes the guest's CFS quota: vcpus × its period (v1 {@code cpu.cfs_quota_us}, v2 {@code cpu.max}). */
    @Override
    public synchronized void setVcpus(String name, int vcpus) {
        if (vcpus <= 0) {
            throw new IllegalArgumentException("vCPUs must be positive: " + vcpus);
        }
        ensureOpen();
        requireGuest(name);
        hierarchy.setVcpuQuota(name, vcpus);
    }

    /** Nothing is held open; later calls fail. */
    @Override
    public void close() {
        closed = true;
    }

    // ---- reading ----

    /** The host, capped by what the parent cgroup and its ancestors allow. */
    private record Limits(long maxMemoryMiB, int maxVcpus) {
    }

    private Limits limits() {
        HostCapacity host = capacity();
        CgroupHierarchy.ParentLimits parentLimits;
        try {
            parentLimits = hierarchy.parentLimits();
        } catch (IOException | RuntimeException e) {
            throw new DriverException("cannot read the limits of " + hierarchy.guestsDir() + ": " + reason(e), e);
        }
        long maxMemoryMiB = parentLimits.memoryBytes() == CgroupFiles.UNLIMITED ? host.memoryMiB()
                : Math.min(host.memoryMiB(), CgroupHierarchy.mib(parentLimits.memoryBytes()));
        return new Limits(maxMemoryMiB, Math.min(host.cpus(), parentLimits.vcpus()));
    }

    private Optional<GuestState> read(String name, Limits limits) {
        CgroupHierarchy.Sample s;
        try {
            s = hierarchy.sample(name);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed while we read it
        } catch (IOException | RuntimeException e) {
            throw new DriverException("cannot read guest " + name + " in " + hierarchy.guestDir(name) + ": "
                    + reason(e), e);
        }
        long memoryMiB = s.limitBytes() == CgroupFiles.UNLIMITED ? limits.maxMemoryMiB()
                : Math.min(limits.maxMemoryMiB(), CgroupHierarchy.mib(s.limitBytes()));
        int vcpus = Math.min(limits.maxVcpus(), CgroupFiles.vcpus(s.quotaMicros(), s.periodMicros(), limits.maxVcpus()));
        long usedMiB = s.usageBytes() < 0 ? GuestState.UNKNOWN
                : CgroupHierarchy.mib(Math.max(0, s.usageBytes() - s.inactiveFileBytes()));
        long cpuTimeNanos = s.cpuNanos() < 0 ? GuestState.UNKNOWN : s.cpuNanos();
        return Optional.of(new GuestState(name, s.populated(), memoryMiB, limits.maxMemoryMiB(),
                vcpus, limits.maxVcpus(), usedMiB, cpuTimeNanos));
    }

    // ---- helpers ----

    /** A directory name: not empty, no slash, not "." or "..", so it cannot reach outside the parent. */
    private static boolean isGuestName(String name) {
        return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    private void requireGuest(String name) {
        if (!isGuestName(name) || !Files.isDirectory(hierarchy.guestDir(name))) {
            throw new DriverException("no guest named " + name + " in " + hierarchy.guestsDir());
        }
    }

    private static String reason(Exception e) {
        return e instanceof IOException io ? CgroupFiles.reason(io) : e.toString();
    }

    private void ensureOpen() {
        if (closed) {
            throw new DriverException("cgroup driver for " + hierarchy.guestsDir() + " is closed");
        }
    }
}
