package dev.nuvola.agent.driver.cgroup;

import dev.nuvola.agent.driver.DriverException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * cgroup v2: one unified hierarchy, {@code ROOT/PARENT/GUEST} with {@code memory.max},
 * {@code memory.current}, {@code memory.stat}, {@code cpu.max}, {@code cpu.stat}. The memory and
 * cpu files exist only where the parent enables those controllers ({@code +memory +cpu} in its
 * {@code cgroup.subtree_control}); without them a guest reads as unlimited and takes no change.
 *
 * <p>Shrinking differs from v1: a v2 {@code memory.max} below what the kernel can reclaim is not
 * refused but OOM-kills processes in the guest. To keep v1's "shrink or refuse" meaning, a shrink
 * first asks the kernel to reclaim down to the new size through {@code memory.reclaim} (Linux 5.19+),
 * which fails with EAGAIN when it cannot; on older kernels the driver refuses a size below the
 * guest's working set. Only then is {@code memory.max} written.
 */
final class CgroupV2 extends CgroupHierarchy {

    /** The kernel's default CFS period, for a guest without cpu.max (the cpu controller is off). */
    private static final long DEFAULT_PERIOD_MICROS = 100_000;

    CgroupV2(Path root, String parent) {
        super(root, parent);
    }

    /** The unified hierarchy is mounted at root: it has cgroup.controllers and no per-controller directories. */
    static boolean detect(Path root) {
        return Files.exists(root.resolve("cgroup.controllers")) && !Files.isDirectory(root.resolve("memory"));
    }

    @Override
    CgroupDriver.Version version() {
        return CgroupDriver.Version.V2;
    }

    @Override
    Path guestsDir() {
        return root.resolve(parent);
    }

    @Override
    String describe() {
        return "cgroup v2 under " + root + " (" + guestsDir() + ")";
    }

    /** The controllers the parent does not enable for its children (for a warning at start). */
    @Override
    String missingControllers() {
        try {
            String enabled = " " + CgroupFiles.read(guestsDir().resolve("cgroup.subtree_control")) + " ";
            StringBuilder missing = new StringBuilder();
            for (String controller : new String[] {"memory", "cpu"}) {
                if (!enabled.contains(" " + controller + " ")) {
                    missing.append(controller).append(' ');
                }
            }
            return missing.toString().trim();
        } catch (IOException e) {
            return "memory cpu";
        }
    }

    /** Six small reads: cgroup.events, memory.max, memory.current, memory.stat, cpu.max, cpu.stat. */
    @Override
    Sample sample(String guest) throws IOException {
        Path dir = guestDir(guest);
        boolean populated = CgroupFiles.readStat(dir.resolve("cgroup.events"), "populated") // gone guest: NoSuchFile
                .orElse(0) != 0;
        String max = readIfPresent(dir.resolve("memory.max"));
        String current = readIfPresent(dir.resolve("memory.current"));
        String memoryStat = readIfPresent(dir.resolve("memory.stat"));
        String cpuMax = readIfPresent(dir.resolve("cpu.max"));
        String cpuStat = readIfPresent(dir.resolve("cpu.stat"));
        if ((max == null || cpuStat == null) && !Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString()); // removed while we read it
        }
        long limit = max == null ? CgroupFiles.UNLIMITED : CgroupFiles.parseLimit(max);
        long usage = current == null ? -1 : Long.parseLong(current);
        long inactiveFile = memoryStat == null ? 0 : CgroupFiles.statValue(memoryStat, "inactive_file").orElse(0);
        CgroupFiles.CpuMax cpu = cpuMax == null
                ? new CgroupFiles.CpuMax(CgroupFiles.UNLIMITED, DEFAULT_PERIOD_MICROS)
                : CgroupFiles.CpuMax.parse(cpuMax);
        OptionalLong usageUsec = cpuStat == null ? OptionalLong.empty() : CgroupFiles.statValue(cpuStat, "usage_usec");
        long cpuNanos = usageUsec.isPresent() ? usageUsec.getAsLong() * 1000 : -1;
        return new Sample(limit, usage, inactiveFile, cpu.quotaMicros(), cpu.periodMicros(), cpuNanos, populated);
    }

    /** The smallest memory.max and cpu.max of the parent and its ancestors (the root has neither). */
    @Override
    ParentLimits parentLimits() throws IOException {
        long memory = CgroupFiles.UNLIMITED;
        int vcpus = Integer.MAX_VALUE;
        for (Path dir : parentChain(root)) {
            String max = readIfPresent(dir.resolve("memory.max"));
            if (max != null) {
                memory = Math.min(memory, CgroupFiles.parseLimit(max));
            }
            String cpuMax = readIfPresent(dir.resolve("cpu.max"));
            if (cpuMax != null) {
                CgroupFiles.CpuMax cpu = CgroupFiles.CpuMax.parse(cpuMax);
                vcpus = Math.min(vcpus, CgroupFiles.wholeVcpus(cpu.quotaMicros(), cpu.periodMicros(), Integer.MAX_VALUE));
            }
        }
        return new ParentLimits(memory, vcpus);
    }

    @Override
    void setMemoryLimit(String guest, long memoryMiB) {
        Path dir = guestDir(guest);
        Path maxFile = dir.resolve("memory.max");
        String what = "cannot set memory of " + guest + " to " + memoryMiB + " MiB: ";
        long bytes = memoryMiB * MIB;
        if (!Files.exists(maxFile)) {
            throw new DriverException(what + maxFile + " does not exist: the memory controller is not enabled for "
                    + guestsDir() + " (cgroup.subtree_control)");
        }
        reclaimDownTo(guest, dir, bytes, what);
        try {
            CgroupFiles.write(maxFile, Long.toString(bytes));
        } catch (IOException e) {
            throw new DriverException(what + "writing " + bytes + " to " + maxFile + ": " + CgroupFiles.reason(e), e);
        }
    }

    /** Before a shrink: reclaim to the new size, or refuse (see the class comment). */
    private void reclaimDownTo(String guest, Path dir, long bytes, String what) {
        Path currentFile = dir.resolve("memory.current");
        long current;
        try {
            current = CgroupFiles.readLong(currentFile);
        } catch (IOException e) {
            throw new DriverException(what + "reading " + currentFile + ": " + CgroupFiles.reason(e), e);
        }
        if (current <= bytes) {
            return;
        }
        Path reclaim = dir.resolve("memory.reclaim");
        if (Files.exists(reclaim)) {
            long excess = current - bytes;
            try {
                CgroupFiles.write(reclaim, Long.toString(excess));
            } catch (IOException e) {
                throw new DriverException(what + "writing " + excess + " to " + reclaim + ": " + CgroupFiles.reason(e)
                        + "; the kernel could not reclaim the guest's memory below the new limit (it uses "
                        + mib(current) + " MiB), memory.max is unchanged", e);
            }
            return;
        }
        long inactiveFile;
        try {
            inactiveFile = CgroupFiles.readStat(dir.resolve("memory.stat"), "inactive_file").orElse(0);
        } catch (IOException e) {
            throw new DriverException(what + "reading " + dir.resolve("memory.stat") + ": " + CgroupFiles.reason(e), e);
        }
        long workingSet = Math.max(0, current - inactiveFile);
        if (workingSet > bytes) {
            throw new DriverException(what + "its working set is " + mib(workingSet) + " MiB, and this kernel has no "
                    + reclaim.getFileName() + " to try reclaiming first; a memory.max below it would OOM-kill"
                    + " processes in the guest, memory.max is unchanged");
        }
    }

    /** Writes cpu.max = "vcpus×period period", keeping the period. */
    @Override
    void setVcpuQuota(String guest, int vcpus) {
        Path file = guestDir(guest).resolve("cpu.max");
        String what = "cannot set vCPUs of " + guest + " to " + vcpus + ": ";
        CgroupFiles.CpuMax current;
        try {
            current = CgroupFiles.CpuMax.parse(CgroupFiles.read(file));
        } catch (NoSuchFileException e) {
            throw new DriverException(what + file + " does not exist: the cpu controller is not enabled for "
                    + guestsDir() + " (cgroup.subtree_control)", e);
        } catch (IOException e) {
            throw new DriverException(what + "reading " + file + ": " + CgroupFiles.reason(e), e);
        } catch (NumberFormatException e) {
            throw new DriverException(what + "reading " + file + ": " + e.getMessage(), e);
        }
        String value = (vcpus * current.periodMicros()) + " " + current.periodMicros();
        try {
            CgroupFiles.write(file, value);
        } catch (IOException e) {
            throw new DriverException(what + "writing \"" + value + "\" to " + file + ": " + CgroupFiles.reason(e), e);
        }
    }
}
