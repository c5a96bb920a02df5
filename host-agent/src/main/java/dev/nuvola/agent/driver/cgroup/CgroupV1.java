package dev.nuvola.agent.driver.cgroup;

import dev.nuvola.agent.driver.DriverException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * cgroup v1: one hierarchy per controller, {@code ROOT/memory/PARENT/GUEST},
 * {@code ROOT/cpu/PARENT/GUEST}, {@code ROOT/cpuacct/PARENT/GUEST} (where cpu and cpuacct are
 * co-mounted as {@code cpu,cpuacct}, the usual {@code cpu} and {@code cpuacct} symlinks resolve to
 * the same directory). The memory directory defines the guest; a guest without a cpu or cpuacct
 * directory reads as unlimited / without CPU time, and cannot take a vCPU change.
 */
final class CgroupV1 extends CgroupHierarchy {

    private final Path memoryRoot;
    private final Path cpuRoot;
    private final Path cpuacctRoot;

    CgroupV1(Path root, String parent) {
        super(root, parent);
        this.memoryRoot = root.resolve("memory");
        this.cpuRoot = root.resolve("cpu");
        this.cpuacctRoot = root.resolve("cpuacct");
    }

    static boolean detect(Path root) {
        return Files.exists(root.resolve("memory").resolve("memory.limit_in_bytes"));
    }

    @Override
    CgroupDriver.Version version() {
        return CgroupDriver.Version.V1;
    }

    @Override
    Path guestsDir() {
        return memoryRoot.resolve(parent);
    }

    Path cpuDir(String guest) {
        return cpuRoot.resolve(parent).resolve(guest);
    }

    Path cpuacctDir(String guest) {
        return cpuacctRoot.resolve(parent).resolve(guest);
    }

    @Override
    String describe() {
        return "cgroup v1 under " + root + " (" + memoryRoot.resolve(parent) + ", " + cpuRoot.resolve(parent)
                + ", " + cpuacctRoot.resolve(parent) + ")";
    }

    /** The controllers besides memory whose parent directory is missing (for a warning at start). */
    @Override
    String missingControllers() {
        StringBuilder missing = new StringBuilder();
        if (!Files.isDirectory(cpuRoot.resolve(parent))) {
            missing.append(cpuRoot.resolve(parent)).append(' ');
        }
        if (!Files.isDirectory(cpuacctRoot.resolve(parent))) {
            missing.append(cpuacctRoot.resolve(parent)).append(' ');
        }
        return missing.toString().trim();
    }

    /**
     * Seven small reads: limit, usage, memory.stat, quota, period, cpuacct.usage, cgroup.procs.
     * Working set = usage minus total_inactive_file (what kubelet and cAdvisor call working set).
     */
    @Override
    Sample sample(String guest) throws IOException {
        Path memory = guestDir(guest);
        long limit = CgroupFiles.readLimit(memory.resolve("memory.limit_in_bytes")); // gone guest: NoSuchFile
        long usage = CgroupFiles.readLong(memory.resolve("memory.usage_in_bytes"));
        long inactiveFile = CgroupFiles.readStat(memory.resolve("memory.stat"), "total_inactive_file").orElse(0);

        long quota = CgroupFiles.UNLIMITED;
        long period = -1;
        String quotaText = readIfPresent(cpuDir(guest).resolve("cpu.cfs_quota_us"));
        String periodText = readIfPresent(cpuDir(guest).resolve("cpu.cfs_period_us"));
        if (quotaText != null && periodText != null) {
            long q = Long.parseLong(quotaText);
            quota = q < 0 ? CgroupFiles.UNLIMITED : q;
            period = Long.parseLong(periodText);
        }
        String cpuacctText = readIfPresent(cpuacctDir(guest).resolve("cpuacct.usage"));
        long cpuNanos = cpuacctText == null ? -1 : Long.parseLong(cpuacctText);

        return new Sample(limit, usage, inactiveFile, quota, period, cpuNanos, populated(memory));
    }

    /**
     * A process directly in the guest's cgroup, or else in one below it (v1's cgroup.procs lists
     * only the cgroup's own processes; a container may put its processes into sub-cgroups).
     */
    private static boolean populated(Path dir) throws IOException {
        if (CgroupFiles.hasProcesses(dir.resolve("cgroup.procs"))) {
            return true;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                try {
                    if (populated(child)) {
                        return true;
                    }
                } catch (NoSuchFileException e) {
                    // a sub-cgroup removed while we looked: it has no processes
                }
            }
        }
        return false;
    }

    /** The smallest memory limit and CPU quota of the parent and its ancestors. */
    @Override
    ParentLimits parentLimits() throws IOException {
        long memory = CgroupFiles.UNLIMITED;
        for (Path dir : parentChain(memoryRoot)) {
            memory = Math.min(memory, CgroupFiles.readLimit(dir.resolve("memory.limit_in_bytes")));
        }
        int vcpus = Integer.MAX_VALUE;
        for (Path dir : parentChain(cpuRoot)) {
            String quota = readIfPresent(dir.resolve("cpu.cfs_quota_us"));
            String period = readIfPresent(dir.resolve("cpu.cfs_period_us"));
            if (quota != null && period != null) {
                long q = Long.parseLong(quota);
                vcpus = Math.min(vcpus, CgroupFiles.wholeVcpus(q < 0 ? CgroupFiles.UNLIMITED : q,
                        Long.parseLong(period), Integer.MAX_VALUE));
            }
        }
        return new ParentLimits(memory, vcpus);
    }

    /**
     * Writes memory.limit_in_bytes. Below the guest's usage the kernel first reclaims; if it
     * cannot (anonymous memory and no swap) it refuses with EBUSY and keeps the old limit.
     */
    @Override
    void setMemoryLimit(String guest, long memoryMiB) {
        Path file = guestDir(guest).resolve("memory.limit_in_bytes");
        long bytes = memoryMiB * MIB;
        try {
            CgroupFiles.write(file, Long.toString(bytes));
        } catch (IOException e) {
            String message = "cannot set memory of " + guest + " to " + memoryMiB + " MiB: writing " + bytes
                    + " to " + file + ": " + CgroupFiles.reason(e);
            if (CgroupFiles.isBusy(e)) {
                message += "; the kernel could not reclaim the guest's memory below the new limit"
                        + usageNote(guest) + ", the limit is unchanged";
            } else if (e.getMessage() != null && e.getMessage().equals("Invalid argument")) {
                message += " (a memory limit above memory.memsw.limit_in_bytes is refused)";
            }
            throw new DriverException(message, e);
        }
    }

    private String usageNote(String guest) {
        try {
            return " (it uses " + mib(CgroupFiles.readLong(guestDir(guest).resolve("memory.usage_in_bytes")))
                    + " MiB)";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Writes cpu.cfs_quota_us = vcpus × cpu.cfs_period_us. */
    @Override
    void setVcpuQuota(String guest, int vcpus) {
        Path dir = cpuDir(guest);
        if (!Files.isDirectory(dir)) {
            throw new DriverException("cannot set vCPUs of " + guest + " to " + vcpus + ": it has no cpu cgroup ("
                    + dir + " does not exist)");
        }
        Path periodFile = dir.resolve("cpu.cfs_period_us");
        Path quotaFile = dir.resolve("cpu.cfs_quota_us");
        long period;
        try {
            period = CgroupFiles.readLong(periodFile);
        } catch (IOException e) {
            throw new DriverException("cannot set vCPUs of " + guest + " to " + vcpus + ": reading " + periodFile
                    + ": " + CgroupFiles.reason(e), e);
        }
        long quota = vcpus * period;
        try {
            CgroupFiles.write(quotaFile, Long.toString(quota));
        } catch (IOException e) {
            String message = "cannot set vCPUs of " + guest + " to " + vcpus + ": writing " + quota + " to "
                    + quotaFile + ": " + CgroupFiles.reason(e);
            if (e.getMessage() != null && e.getMessage().equals("Invalid argument")) {
                message += " (cgroup v1 refuses a quota above the parent's)";
            }
            throw new DriverException(message, e);
        }
    }
}
