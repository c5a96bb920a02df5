package dev.nuvola.agent.driver.cgroup;

import dev.nuvola.agent.driver.DriverException;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_GROW;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_SHRINK;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_VCPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs against this machine's real cgroup v1 hierarchy ({@code /sys/fs/cgroup/memory},
 * {@code cpu}, {@code cpuacct}) with real processes moved into real cgroups: needs root. Without a
 * writable hierarchy every test fails with a message saying so; none passes vacuously.
 *
 * <p>Each test makes its own parent cgroup ({@code nuvola-test-PID-RANDOM}), at each controller's
 * root, or if the kernel refuses that, below this process's own memory cgroup. Everything it
 * creates is removed afterwards, after its processes are killed and reaped.
 */
class CgroupDriverTest {

    private static final Path ROOT = CgroupDriver.DEFAULT_ROOT;
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct");
    private static final long MIB = 1024 * 1024;

    private final List<Path> createdDirs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private String parent;
    private CgroupDriver driver;

    @BeforeEach
    void createParent() throws IOException {
        if (!Files.exists(ROOT.resolve("memory/memory.limit_in_bytes"))) {
            fail("no cgroup v1 memory hierarchy at " + ROOT.resolve("memory")
                    + ": these tests need the machine's writable cgroup v1 hierarchy");
        }
        String name = "nuvola-test-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<String> candidates = new ArrayList<>(List.of(name));
        ownCgroup("memory").filter(p -> !p.isEmpty()).ifPresent(own -> candidates.add(own + "/" + name));
        StringBuilder refusals = new StringBuilder();
        for (String candidate : candidates) {
            int mark = createdDirs.size();
            try {
                for (String controller : CONTROLLERS) {
                    mkdirs(ROOT.resolve(controller), candidate);
                }
                parent = candidate;
                break;
            } catch (IOException e) {
                refusals.append("\n  ").append(candidate).append(": ").append(e);
                removeCreatedFrom(mark);
            }
        }
        if (parent == null) {
            fail("cannot create a test cgroup under " + ROOT + "/{memory,cpu,cpuacct} (are we root? uid "
                    + uid() + "):" + refusals);
        }
        driver = new CgroupDriver(ROOT, parent);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (driver != null) {
            driver.close();
        }
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> leftovers = new ArrayList<>();
        for (int i = createdDirs.size() - 1; i >= 0; i--) {
            Path dir = createdDirs.get(i);
            if (!rmdir(dir)) {
                leftovers.add(dir.toString());
            }
        }
        createdDirs.clear();
        assertThat(leftovers).as("test cgroups that could not be removed").isEmpty();
    }

    // ---- tests ----

    @Test
    void detectsV1AndReportsTheHost() throws IOException {
        assertThat(driver.name()).isEqualTo("cgroup");
        assertThat(driver.version()).isEqualTo(CgroupDriver.Version.V1);
        assertThat(driver.guestsDir()).isEqualTo(ROOT.resolve("memory").resolve(parent));
        assertThat(driver.capabilities()).containsExactlyInAnyOrder(LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK, LIVE_VCPU);

        HostCapacity capacity = driver.capacity();
        String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
        long memTotalKiB = Long.parseLong(memTotal.replaceAll("\\D", ""));
        assertThat(capacity.memoryMiB()).isEqualTo(memTotalKiB / 1024);
        assertThat(capacity.cpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(driver.guests()).isEmpty();
    }

    @Test
    void listsEachChildCgroupWithItsLimitQuotaAndProcesses() throws IOException {
        createGuest("web");
        createGuest("idle");
        write(cgroup("memory", "web").resolve("memory.limit_in_bytes"), 256 * MIB);
        long period = readLong(cgroup("cpu", "web").resolve("cpu.cfs_period_us"));
        write(cgroup("cpu", "web").resolve("cpu.cfs_quota_us"), period * 3 / 2); // 1.5 CPUs
        Process sleep = startSleep();
        moveInto("web", sleep.pid());

        HostCapacity host = driver.capacity();
        Map<String, GuestState> guests = guestsByName();
        assertThat(guests).containsOnlyKeys("web", "idle");

        GuestState web = guests.get("web");
        assertThat(web.running()).isTrue();
        assertThat(web.memoryMiB()).isEqualTo(256);
        assertThat(web.maxMemoryMiB()).isEqualTo(host.memoryMiB());
        assertThat(web.vcpus()).isEqualTo(Math.min(2, host.cpus())); // 1.5 rounds up
        assertThat(web.maxVcpus()).isEqualTo(host.cpus());
        assertThat(web.hasUsage()).isTrue();
        assertThat(web.usedMiB()).isBetween(0L, 256L);
        assertThat(web.cpuTimeNanos()).isGreaterThanOrEqualTo(0);

        GuestState idle = guests.get("idle"); // no limit, no quota, no process
        assertThat(idle.running()).isFalse();
        assertThat(idle.memoryMiB()).isEqualTo(host.memoryMiB());
        assertThat(idle.vcpus()).isEqualTo(host.cpus());

        assertThat(driver.guest("web")).contains(web);
        assertThat(driver.guest("nope")).isEmpty();
        assertThat(driver.guest("..")).isEmpty();
    }

    @Test
    void resizesARunningProcessLiveAndItKeepsRunning() throws IOException {
        createGuest("app");
        write(cgroup("memory", "app").resolve("memory.limit_in_bytes"), 256 * MIB);
        Process sleep = startSleep();
        long pid = sleep.pid();
        moveInto("app", pid);
        long period = readLong(cgroup("cpu", "app").resolve("cpu.cfs_period_us"));

        driver.setMemory("app", 512);
        assertThat(driver.guest("app").orElseThrow().memoryMiB()).isEqualTo(512);
        assertThat(readLong(cgroup("memory", "app").resolve("memory.limit_in_bytes"))).isEqualTo(512 * MIB);

        driver.setMemory("app", 128);
        assertThat(driver.guest("app").orElseThrow().memoryMiB()).isEqualTo(128);
        assertThat(readLong(cgroup("memory", "app").resolve("memory.limit_in_bytes"))).isEqualTo(128 * MIB);

        driver.setVcpus("app", 1);
        assertThat(driver.guest("app").orElseThrow().vcpus()).isEqualTo(1);
        assertThat(readLong(cgroup("cpu", "app").resolve("cpu.cfs_quota_us"))).isEqualTo(period);

        int two = Math.min(2, driver.capacity().cpus());
        driver.setVcpus("app", two);
        GuestState app = guestsByName().get("app");
        assertThat(app.vcpus()).isEqualTo(two);
        assertThat(app.memoryMiB()).isEqualTo(128);
        assertThat(app.running()).isTrue();
        assertThat(readLong(cgroup("cpu", "app").resolve("cpu.cfs_quota_us"))).isEqualTo(two * period);

        assertThat(sleep.isAlive()).as("the resized process is still running").isTrue();
        assertThat(sleep.pid()).isEqualTo(pid);
        for (String controller : CONTROLLERS) {
            assertThat(Files.readAllLines(cgroup(controller, "app").resolve("cgroup.procs")))
                    .as(controller + " cgroup.procs").contains(Long.toString(pid));
        }
    }

    /**
     * A limit below memory the kernel cannot reclaim (anonymous pages; swappiness 0 so it does not
     * swap them even where the host has swap): v1 answers EBUSY and keeps the old limit, and the
     * driver says so. The 64 MiB are allocated after the move, so they are charged to the guest
     * (v1 does not move charges with a process by default).
     */
    @Test
    void aShrinkBelowTheWorkingSetIsRefusedWithEbusy() throws Exception {
        String python = pythonExecutable();
        createGuest("hog");
        write(cgroup("memory", "hog").resolve("memory.limit_in_bytes"), 256 * MIB);
        Files.writeString(cgroup("memory", "hog").resolve("memory.swappiness"), "0");
        Process hog = start(python, "-u", "-c", """
                import os, sys, time
                print(os.getpid())
                sys.stdin.readline()
                b = bytearray(b'\\x01') * (64 << 20)
                print('ready')
                sys.stdin.readline()
                """);
        BufferedReader out = new BufferedReader(new InputStreamReader(hog.getInputStream(), StandardCharsets.US_ASCII));
        long pid = Long.parseLong(readLine(out));
        assertThat(pid).isEqualTo(hog.pid());
        moveInto("hog", pid);
        Writer in = new OutputStreamWriter(hog.getOutputStream(), StandardCharsets.US_ASCII);
        in.write("go\n");
        in.flush();
        assertThat(readLine(out)).isEqualTo("ready");

        GuestState before = driver.guest("hog").orElseThrow();
        assertThat(before.usedMiB()).as("working set of a process holding 64 MiB").isBetween(64L, 256L);
        assertThat(before.cpuTimeNanos()).isPositive();

        assertThatThrownBy(() -> driver.setMemory("hog", 16))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("hog")
                .hasMessageContaining(cgroup("memory", "hog").resolve("memory.limit_in_bytes").toString())
                .hasMessageContaining("EBUSY");
        assertThat(readLong(cgroup("memory", "hog").resolve("memory.limit_in_bytes"))).isEqualTo(256 * MIB);
        assertThat(driver.guest("hog").orElseThrow().memoryMiB()).isEqualTo(256);
        assertThat(hog.isAlive()).isTrue();

        driver.setMemory("hog", 128); // above the working set: the kernel takes it
        assertThat(readLong(cgroup("memory", "hog").resolve("memory.limit_in_bytes"))).isEqualTo(128 * MIB);
        assertThat(hog.isAlive()).isTrue();
    }

    @Test
    void theParentsLimitsAreTheGuestsMaximum() throws IOException {
        write(ROOT.resolve("memory").resolve(parent).resolve("memory.limit_in_bytes"), 1024 * MIB);
        long period = readLong(ROOT.resolve("cpu").resolve(parent).resolve("cpu.cfs_period_us"));
        write(ROOT.resolve("cpu").resolve(parent).resolve("cpu.cfs_quota_us"), period); // one CPU
        createGuest("small");

        GuestState small = driver.guest("small").orElseThrow();
        assertThat(small.maxMemoryMiB()).isEqualTo(Math.min(1024, driver.capacity().memoryMiB()));
        assertThat(small.memoryMiB()).isEqualTo(small.maxMemoryMiB()); // unlimited itself
        assertThat(small.maxVcpus()).isEqualTo(1);
        assertThat(small.vcpus()).isEqualTo(1);

        assertThatThrownBy(() -> driver.setVcpus("small", 2)) // v1: a child quota above its parent's
                .isInstanceOf(DriverException.class)
                .hasMessageContaining(cgroup("cpu", "small").resolve("cpu.cfs_quota_us").toString())
                .hasMessageContaining("EINVAL");
    }

    @Test
    void unknownGuestsAndBadArgumentsAreRefused() {
        createGuest("real");
        assertThatThrownBy(() -> driver.setMemory("ghost", 128))
                .isInstanceOf(DriverException.class).hasMessageContaining("no guest named ghost");
        assertThatThrownBy(() -> driver.setVcpus("ghost", 1))
                .isInstanceOf(DriverException.class).hasMessageContaining("no guest named ghost");
        assertThatThrownBy(() -> driver.setMemory("../" + lastSegment(parent), 128))
                .isInstanceOf(DriverException.class).hasMessageContaining("no guest named");
        assertThatThrownBy(() -> driver.setMemory("real", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.setVcpus("real", 0)).isInstanceOf(IllegalArgumentException.class);

        driver.close();
        assertThatThrownBy(() -> driver.guests()).isInstanceOf(DriverException.class).hasMessageContaining("closed");
    }

    @Test
    void aMissingParentOrHierarchyFailsAtConstruction(@TempDir Path notCgroups) {
        assertThatThrownBy(() -> new CgroupDriver(ROOT, parent + "-absent"))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining(ROOT.resolve("memory").resolve(parent + "-absent").toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new CgroupDriver(notCgroups, "nuvola"))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("no cgroup hierarchy at " + notCgroups);
        assertThatThrownBy(() -> new CgroupDriver(ROOT, "../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----

    private Map<String, GuestState> guestsByName() {
        return driver.guests().stream().collect(Collectors.toMap(GuestState::name, Function.identity()));
    }

    private Path cgroup(String controller, String guest) {
        return ROOT.resolve(controller).resolve(parent).resolve(guest);
    }

    private void createGuest(String guest) {
        for (String controller : CONTROLLERS) {
            Path dir = cgroup(controller, guest);
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                throw new AssertionError("cannot create cgroup " + dir + ": " + e, e);
            }
            createdDirs.add(dir);
        }
    }

    private void moveInto(String guest, long pid) throws IOException {
        for (String controller : CONTROLLERS) {
            Files.writeString(cgroup(controller, guest).resolve("cgroup.procs"), Long.toString(pid));
        }
        String cgroups = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
        assertThat(cgroups).contains(":memory:/" + parent + "/" + guest + "\n");
    }

    private Process startSleep() throws IOException {
        return start("sleep", "300");
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(process);
        return process;
    }

    /** The real interpreter (not a pyenv shim, whose PID would not be python's); skips if there is none. */
    private String pythonExecutable() throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is needed to make a process with a known working set: " + e);
            throw e;
        }
        processes.add(probe);
        String path = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0 && !path.isEmpty(),
                "python3 is needed to make a process with a known working set");
        return path;
    }

    private static String readLine(BufferedReader reader) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("a line from the test process").isNotNull();
        return line.trim();
    }

    /** Creates {@code controllerRoot/relative} and its missing ancestors, recording each new one; checks it is a cgroup. */
    private void mkdirs(Path controllerRoot, String relative) throws IOException {
        Path dir = controllerRoot;
        for (String part : relative.split("/")) {
            dir = dir.resolve(part);
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir);
                createdDirs.add(dir);
            }
        }
        if (!Files.exists(dir.resolve("cgroup.procs"))) {
            throw new IOException(dir + " was created but is not a cgroup (no cgroup.procs)");
        }
    }

    private void removeCreatedFrom(int mark) {
        for (int i = createdDirs.size() - 1; i >= mark; i--) {
            rmdir(createdDirs.remove(i));
        }
    }

    /** rmdir, retried for a few seconds: a cgroup whose last process just died can be busy for a moment. */
    private static boolean rmdir(Path dir) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** This process's cgroup path in one controller's hierarchy, from /proc/self/cgroup, without the leading slash. */
    private static Optional<String> ownCgroup(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                return Optional.of(parts[2].replaceFirst("^/+", ""));
            }
        }
        return Optional.empty();
    }

    private static String uid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().map(l -> l.split("\\s+")[1]).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value));
    }

    private static long readLong(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }
}
