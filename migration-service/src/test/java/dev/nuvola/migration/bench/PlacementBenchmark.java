package dev.nuvola.migration.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;
import dev.nuvola.migration.logic.placement.DrainPlanner;
import dev.nuvola.migration.logic.placement.GuestToPlace;
import dev.nuvola.migration.logic.placement.HostRoom;
import dev.nuvola.migration.logic.placement.Placement;
import dev.nuvola.migration.logic.placement.Placer;

/**
 * Placement's benchmark (BENCHMARKS.md), not part of the test run (its name is not *Test):
 * {@code mvn -pl migration-service -am verify -Dtest=PlacementBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest.jvm.options=} (empty: the JVM's default JIT, as its figures were taken; tests run C1 only).
 * <ol>
 * <li>One placement decision among 10,000 hosts (goal p99 &le; 1 ms): every host through every filter, the
 * survivors weighed; the explanation is not built (the dry-run endpoint builds it on demand).</li>
 * <li>The drain plan of a 100-guest host over 1,000 hosts (goal &le; 50 ms): 100 placements, each reserving
 * its room before the next.</li>
 * </ol>
 * The fleet is random but fixed (seeded): 5 % of hosts DRAINING or DOWN, a fifth already partly reserved, three
 * anti-affinity groups spread over them, a tenth without live migration. Timings are taken per decision with
 * System.nanoTime after a warm-up, in this JVM (the JIT's full tiers, unlike the dev stack's services); each is
 * also given in the thread's own CPU time, which leaves out the time the thread waited for a core on a loaded
 * machine.
 */
class PlacementBenchmark {
    private static final int HOSTS = Integer.getInteger("bench.hosts", 10_000);
    private static final int DECISIONS = Integer.getInteger("bench.decisions", 20_000);
    private static final int DRAIN_HOSTS = 1_000;
    private static final int DRAIN_GUESTS = 100;
    private static final int DRAIN_PLANS = Integer.getInteger("bench.plans", 300);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Placer placer = Placer.standard();

    @Test
    void oneDecisionAmongTenThousandHosts() {
        Random random = new Random(42);
        List<HostRoom> hosts = fleet(random, HOSTS);
        List<GuestToPlace> guests = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            guests.add(guest(random, "g" + i, "h0"));
        }
        int placed = 0;
        for (int i = 0; i < DECISIONS / 2; i++) {
            placed += placer.place(guests.get(i & 1023), hosts).placed() ? 1 : 0;
        }
        long[] nanos = new long[DECISIONS];
        long[] cpu = new long[DECISIONS];
        for (int i = 0; i < DECISIONS; i++) {
            GuestToPlace guest = guests.get(i & 1023);
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            Placement p = placer.place(guest, hosts);
            nanos[i] = System.nanoTime() - start;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - cpuStart;
            placed += p.placed() ? 1 : 0;
        }
        assertThat(placed).isPositive();
        Placement sample = placer.place(guests.get(0), hosts);
        System.out.printf("[bench] placement among %,d hosts (%,d passed the filters for the sample guest): %s%n",
                HOSTS, sample.passedCount(), summary(nanos));
        System.out.printf("[bench]   the same decisions in this thread's CPU time (without the time it waited for a"
                + " core): %s%n", summary(cpu));
        long start = System.nanoTime();
        int explained = sample.candidates().size();
        System.out.printf("[bench] its explanation (%,d candidates): %.2f ms%n", explained,
                (System.nanoTime() - start) / 1e6);
    }

    @Test
    void drainPlanOfAHundredGuestsOverAThousandHosts() {
        Random random = new Random(7);
        List<HostRoom> hosts = fleet(random, DRAIN_HOSTS);
        List<GuestToPlace> guests = new ArrayList<>();
        for (int i = 0; i < DRAIN_GUESTS; i++) {
            guests.add(guest(random, "d" + i, "h0"));
        }
        int fits = 0;
        for (int i = 0; i < DRAIN_PLANS / 3; i++) {
            fits += DrainPlanner.plan(guests, hosts, placer).fits() ? 1 : 0;
        }
        long[] nanos = new long[DRAIN_PLANS];
        long[] cpu = new long[DRAIN_PLANS];
        for (int i = 0; i < DRAIN_PLANS; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            DrainPlanner.DrainPlan plan = DrainPlanner.plan(guests, hosts, placer);
            nanos[i] = System.nanoTime() - start;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - cpuStart;
            fits += plan.fits() ? 1 : 0;
        }
        DrainPlanner.DrainPlan plan = DrainPlanner.plan(guests, hosts, placer);
        assertThat(plan.fits()).as(plan.refusal()).isTrue();
        System.out.printf("[bench] drain plan, %d guests over %,d hosts (%d targets used): %s%n", DRAIN_GUESTS,
                DRAIN_HOSTS, plan.assignments().stream().map(DrainPlanner.Assignment::targetHostId).distinct().count(),
                summary(nanos));
        System.out.printf("[bench]   in this thread's CPU time: %s%n", summary(cpu));
        assertThat(fits).isPositive();
    }

    private static List<HostRoom> fleet(Random random, int n) {
        Set<Capability> live = Set.of(Capability.LIVE_MIGRATION, Capability.SAVE_RESTORE);
        Set<Capability> saveOnly = Set.of(Capability.SAVE_RESTORE);
        String[] groups = {"db", "xmpp", "web"};
        List<HostRoom> hosts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long total = 65536L << random.nextInt(3);
            int vcpus = 32 << random.nextInt(3);
            long free = (long) (total * random.nextDouble() * 0.6);
            int vfree = (int) (vcpus * random.nextDouble() * 0.6);
            HostState state = random.nextInt(20) == 0 ? (random.nextBoolean() ? HostState.DRAINING : HostState.DOWN)
                    : HostState.ACTIVE;
            HostRoom h = new HostRoom("h" + i, state, random.nextInt(10) == 0 ? saveOnly : live, total, vcpus, free,
                    vfree, 0, 0, random.nextInt(4) == 0 ? Set.of(groups[random.nextInt(3)]) : Set.of(),
                    random.nextInt(50) == 0 ? 1 : 0);
            if (random.nextInt(5) == 0) {
                h = h.reserve(new GuestSize(free / 3, vfree / 3), null);
            }
            hosts.add(h);
        }
        return hosts;
    }

    private static GuestToPlace guest(Random random, String id, String source) {
        return new GuestToPlace(id, new GuestSize(512L << random.nextInt(4), 1 + random.nextInt(4)), source,
                Set.of(Capability.LIVE_MIGRATION, Capability.SAVE_RESTORE), random.nextInt(4) == 0,
                random.nextInt(3) == 0 ? "db" : null, null);
    }

    private static String summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        return String.format("n=%,d  mean %.3f ms  p50 %.3f ms  p99 %.3f ms  max %.3f ms", sorted.length, mean / 1e6,
                pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
