package dev.nuvola.agent.driver.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a cgroup version keeps a guest's limits and counters, and how it takes new limits. The
 * driver above it turns these raw values (bytes, microseconds) into a {@code GuestState}.
 */
abstract sealed class CgroupHierarchy permits CgroupV1, CgroupV2 {

    static final long MIB = 1024 * 1024;

    /**
     * One guest's raw values. {@link CgroupFiles#UNLIMITED} for no limit; -1 for a counter the
     * hierarchy does not have for this guest (its controller is not there).
     */
    record Sample(long limitBytes, long usageBytes, long inactiveFileBytes,
                  long quotaMicros, long periodMicros, long cpuNanos, boolean populated) {
    }

    /** What the guests' parent cgroup and its ancestors allow any one guest at most. */
    record ParentLimits(long memoryBytes, int vcpus) {
    }

    protected final Path root;
    protected final String parent;

    CgroupHierarchy(Path root, String parent) {
        this.root = root;
        this.parent = parent;
    }

    abstract CgroupDriver.Version version();

    /** The directory whose subdirectories are the guests. */
    abstract Path guestsDir();

    /** Reads one guest. Throws {@link NoSuchFileException} if the guest's cgroup is gone. */
    abstract Sample sample(String guest) throws IOException;

    abstract ParentLimits parentLimits() throws IOException;

    /** Sets the memory limit; throws DriverException naming the file and the kernel's reason. */
    abstract void setMemoryLimit(String guest, long memoryMiB);

    /** Sets the CFS quota to {@code vcpus} periods; throws DriverException naming the file and the reason. */
    abstract void setVcpuQuota(String guest, int vcpus);

    /** What the hierarchy lacks for the guests' parent (controllers, directories), for a warning; "" if nothing. */
    abstract String missingControllers();

    /** What a log line should say about this hierarchy's layout. */
    abstract String describe();

    Path guestDir(String guest) {
        return guestsDir().resolve(guest);
    }

    /** The guests' names: every subdirectory of {@link #guestsDir()}, sorted. */
    List<String> guestNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(guestsDir(), Files::isDirectory)) {
            for (Path child : children) {
                names.add(child.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    /** {@code controllerRoot/parent} and each ancestor below {@code controllerRoot}, nearest first. */
    protected List<Path> parentChain(Path controllerRoot) {
        List<Path> chain = new ArrayList<>();
        for (Path dir = controllerRoot.resolve(parent); dir != null && !dir.equals(controllerRoot);
             dir = dir.getParent()) {
            chain.add(dir);
        }
        return chain;
    }

    /** The file's text, or null if the file is not there (a controller not enabled or not mounted). */
    protected static String readIfPresent(Path file) throws IOException {
        try {
            return CgroupFiles.read(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    protected static long mib(long bytes) {
        return bytes / MIB;
    }
}
