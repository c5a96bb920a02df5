package dev.nuvola.agent.driver.cgroup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reading, writing and parsing the small text files of cgroupfs, procfs and sysfs. No state.
 *
 * <p>cgroupfs reports every file as 0 bytes long; {@link Files#readAllBytes} reads to EOF anyway.
 * A write must reach the kernel in one {@code write(2)}: the values here are a few bytes, and one
 * {@link FileChannel#write} of them is one system call.
 */
final class CgroupFiles {

    /** The value {@link #parseLimit} and the stat readers return for "no limit" and "absent". */
    static final long UNLIMITED = Long.MAX_VALUE;

    /**
     * Java reports a failed read or write with the C library's strerror text and no errno; these
     * are the ones cgroupfs returns, put back into errno names for the operator.
     */
    private static final Map<String, String> ERRNO_BY_TEXT = Map.of(
            "Device or resource busy", "EBUSY",
            "Invalid argument", "EINVAL",
            "Permission denied", "EACCES",
            "Operation not permitted", "EPERM",
            "No such file or directory", "ENOENT",
            "No space left on device", "ENOSPC",
            "Resource temporarily unavailable", "EAGAIN",
            "No such process", "ESRCH",
            "Read-only file system", "EROFS",
            "Numerical result out of range", "ERANGE");

    private CgroupFiles() {
    }

    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
    }

    static long readLong(Path file) throws IOException {
        String text = read(file);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a number: \"" + text + "\"", e);
        }
    }

    /** A memory limit file: v2 "max", or a number of bytes (v1's "no limit" is a huge number). */
    static long readLimit(Path file) throws IOException {
        String text = read(file);
        try {
            return parseLimit(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a limit: \"" + text + "\"", e);
        }
    }

    static long parseLimit(String text) {
        String value = text.trim();
        if (value.equals("max")) {
            return UNLIMITED;
        }
        long bytes = Long.parseLong(value);
        return bytes < 0 ? UNLIMITED : bytes; // v1 "-1" as written; the kernel reads it back as a huge number
    }

    /**
     * The value of {@code key} in a flat-keyed file ({@code memory.stat}, {@code cpu.stat},
     * {@code cgroup.events}: one "key value" per line); empty if the key is absent.
     */
    static OptionalLong statValue(String text, String key) {
        int from = 0;
        int length = text.length();
        while (from < length) {
            int end = text.indexOf('\n', from);
            if (end < 0) {
                end = length;
            }
            if (text.startsWith(key, from) && from + key.length() < end && text.charAt(from + key.length()) == ' ') {
                String value = text.substring(from + key.length() + 1, end).trim();
                try {
                    return OptionalLong.of(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
            from = end + 1;
        }
        return OptionalLong.empty();
    }

    static OptionalLong readStat(Path file, String key) throws IOException {
        return statValue(read(file), key);
    }

    /** v2 {@code cpu.max}: "QUOTA PERIOD" or "max PERIOD", microseconds; quota {@link #UNLIMITED} for "max". */
    record CpuMax(long quotaMicros, long periodMicros) {
        static CpuMax parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length != 2) {
                throw new NumberFormatException("expected \"QUOTA PERIOD\": \"" + text.trim() + "\"");
            }
            long quota = parts[0].equals("max") ? UNLIMITED : Long.parseLong(parts[0]);
            long period = Long.parseLong(parts[1]);
            if (period <= 0) {
                throw new NumberFormatException("period must be positive: \"" + text.trim() + "\"");
            }
            return new CpuMax(quota < 0 ? UNLIMITED : quota, period);
        }

        boolean unlimited() {
            return quotaMicros == UNLIMITED;
        }
    }

    /** vCPUs a CFS quota amounts to: quota / period rounded up, {@code unlimitedAs} for no quota. */
    static int vcpus(long quotaMicros, long periodMicros, int unlimitedAs) {
        if (quotaMicros == UNLIMITED || quotaMicros < 0 || periodMicros <= 0) {
            return unlimitedAs;
        }
        long vcpus = (quotaMicros + periodMicros - 1) / periodMicros;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, vcpus));
    }

    /**
     * CPUs a CFS quota allows a child to get in whole units: quota / period rounded down, at least
     * one (v1 refuses a child quota above its parent's).
     */
    static int wholeVcpus(long quotaMicros, long periodMicros, int unlimitedAs) {
        if (quotaMicros == UNLIMITED || quotaMicros < 0 || periodMicros <= 0) {
            return unlimitedAs;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, quotaMicros / periodMicros));
    }

    /** MemTotal of /proc/meminfo ("MemTotal:       24684084 kB"), in KiB. */
    static OptionalLong memTotalKiB(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** A kernel CPU list ("0-3,8,10-11", as in /sys/devices/system/cpu/online): how many CPUs. */
    static int countCpuList(String list) {
        int count = 0;
        for (String range : list.trim().split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            if (dash < 0) {
                Integer.parseInt(range.trim());
                count++;
            } else {
                count += Integer.parseInt(range.substring(dash + 1).trim())
                        - Integer.parseInt(range.substring(0, dash).trim()) + 1;
            }
        }
        return count;
    }

    /** Whether a cgroup.procs file lists at least one process, reading only its first bytes. */
    static boolean hasProcesses(Path procs) throws IOException {
        try (InputStream in = Files.newInputStream(procs)) {
            byte[] buffer = new byte[32];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] >= '0' && buffer[i] <= '9') {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Writes {@code value} in one write(2), as cgroupfs wants it. Throws the kernel's refusal. */
    static void write(Path file, String value) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** "Device or resource busy (EBUSY)" and the like, from what Java made of the errno. */
    static String reason(IOException e) {
        String text;
        if (e instanceof NoSuchFileException) {
            text = "No such file or directory";
        } else if (e instanceof AccessDeniedException) {
            text = "Permission denied";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            text = fse.getReason();
        } else {
            text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        String errno = ERRNO_BY_TEXT.get(text);
        return errno == null ? text : text + " (" + errno + ")";
    }

    /** Whether the failure is the kernel's EBUSY (v1: it could not reclaim below a new memory limit). */
    static boolean isBusy(IOException e) {
        return "Device or resource busy".equals(e.getMessage());
    }
}
