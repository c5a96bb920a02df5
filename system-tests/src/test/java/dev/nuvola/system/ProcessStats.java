package dev.nuvola.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the benchmarks measure of a process from outside. */
final class ProcessStats {
    private ProcessStats() {
    }

    /** Resident set size, from /proc/PID/status. */
    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** CPU time used so far, user and system, in clock ticks (1/100 s), from /proc/PID/stat. */
    static long cpuTicks(long pid) throws IOException {
        String[] stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ", 2)[1].split(" ");
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    }

    /**
     * Nanoseconds the process's threads have spent runnable but waiting for a core: the second field of each thread's
     * /proc schedstat. Threads that have ended are not counted.
     */
    static long waitedForCoreNanos(long pid) throws IOException {
        long waited = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    waited += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return waited;
    }
}
