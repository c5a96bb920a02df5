package dev.nuvola.scaler.logic.recommender;

import static dev.nuvola.scaler.logic.recommender.SimulatedGuest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import dev.nuvola.events.Check;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.scaler.logic.recommender.SimulatedGuest.Applied;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;

/** The properties of the recommender, over arbitrary policies, sizes and use. */
class RecommenderPropertiesTest {
    private static final RecommenderConfig DEFAULTS = RecommenderConfig.defaults();
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    // ------------------------------------------------------------------------------------------- bounds

    /** One sample: seconds since the previous one (0 or less: out of order), use, and whether the resize is applied. */
    record Step(int dtSeconds, double usedFraction, double cpuUsage, boolean apply) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.integers().between(-5, 0), Arbitraries.integers().between(1, 120),
                                Arbitraries.integers().between(1, 1200)),
                        Arbitraries.oneOf(Arbitraries.doubles().between(0, 1.2), Arbitraries.doubles().between(0.9, 1.0),
                                Arbitraries.of(0.0, 1.0)),
                        Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0)),
                        Arbitraries.of(true, true, true, false))
                .as(Step::new).list().ofMaxSize(150);
    }

    @Property(tries = 1000)
    void boundsAreNeverBroken(@ForAll @LongRange(min = 0, max = 1 << 17) long minMiB,
                              @ForAll @LongRange(min = 0, max = 1 << 17) long extraMiB,
                              @ForAll @IntRange(min = 0, max = 64) int minVcpus,
                              @ForAll @IntRange(min = 0, max = 64) int extraVcpus,
                              @ForAll @DoubleRange(min = 0, max = 1) double memTarget,
                              @ForAll @DoubleRange(min = 0, max = 1) double cpuTarget,
                              @ForAll @LongRange(min = 0, max = 1 << 18) long hypervisorMaxMiB,
                              @ForAll @IntRange(min = 0, max = 128) int hypervisorMaxVcpus,
                              @ForAll boolean unlimitedHypervisor,
                              @ForAll @LongRange(min = 1, max = 1024) long granularity,
                              @ForAll @LongRange(min = 0, max = 1 << 18) long initialMiB,
                              @ForAll @IntRange(min = 0, max = 128) int initialVcpus,
                              @ForAll("steps") List<Step> steps) {
        RecommenderConfig config = DEFAULTS.toBuilder().granularityMiB(granularity).build();
        GuestPolicy policy = policy(minMiB, minMiB + extraMiB, minVcpus, minVcpus + extraVcpus, memTarget, cpuTarget);
        SimulatedGuest g = new SimulatedGuest(config, policy, initialMiB, initialVcpus);
        SimulatedGuest twin = new SimulatedGuest(config, policy, initialMiB, initialVcpus);
        for (SimulatedGuest s : List.of(g, twin)) {
            s.hypervisorMaxMemoryMiB = unlimitedHypervisor ? Long.MAX_VALUE : hypervisorMaxMiB;
            s.hypervisorMaxVcpus = unlimitedHypervisor ? Integer.MAX_VALUE : hypervisorMaxVcpus;
        }
        long memMax = Math.min(policy.maxMemoryMiB(), g.hypervisorMaxMemoryMiB);
        long memMin = Math.min(policy.minMemoryMiB(), memMax);
        int cpuMax = Math.min(policy.maxVcpus(), g.hypervisorMaxVcpus);
        int cpuMin = Math.min(Math.max(1, policy.minVcpus()), cpuMax);

        for (Step step : steps) {
            long used = Math.min(Check.MAX_MIB, Math.round(step.usedFraction() * Math.max(1, g.assignedMiB)));
            g.applyActions = step.apply();
            twin.applyActions = step.apply();
            Recommendation r;
            if (step.dtSeconds() <= 0 && g.last != null) {
                Recommendation before = g.last;
                r = g.observeAt(g.now.plusSeconds(step.dtSeconds()), used, step.cpuUsage());
                twin.observeAt(twin.now.plusSeconds(step.dtSeconds()), used, step.cpuUsage());
                assertThat(r.action()).isNull();
                assertThat(r.basedOn()).isEqualTo(before.basedOn());
                assertThat(r.samples()).isEqualTo(before.samples());
            } else {
                Duration dt = Duration.ofSeconds(Math.max(1, step.dtSeconds()));
                r = g.step(dt, used, step.cpuUsage());
                Recommendation again = twin.step(dt, used, step.cpuUsage());
                assertThat(again).as("deterministic").isEqualTo(r);
            }

            assertMemory(r.targetMemoryMiB(), memMin, memMax, granularity);
            assertMemory(r.lowerBoundMemoryMiB(), memMin, memMax, granularity);
            assertMemory(r.upperBoundMemoryMiB(), memMin, memMax, granularity);
            assertThat(r.lowerBoundMemoryMiB()).isLessThanOrEqualTo(r.targetMemoryMiB());
            assertThat(r.targetMemoryMiB()).isLessThanOrEqualTo(r.upperBoundMemoryMiB());
            for (int v : new int[] {r.targetVcpus(), r.lowerBoundVcpus(), r.upperBoundVcpus()}) {
                assertThat(v).isBetween(cpuMin, cpuMax);
            }
            assertThat(r.lowerBoundVcpus()).isLessThanOrEqualTo(r.targetVcpus());
            assertThat(r.targetVcpus()).isLessThanOrEqualTo(r.upperBoundVcpus());
            assertThat(r.confidence()).isBetween(0.0, 1.0);
            assertThat(r.note()).isNotBlank();

            Action a = r.action();
            if (a != null) {
                if (a.changesMemory()) {
                    assertMemory(a.to().memoryMiB(), memMin, memMax, granularity);
                    if (a.kind() == Action.Kind.SHRINK) {
                        assertThat(a.to().memoryMiB()).isLessThan(a.from().memoryMiB());
                    }
                }
                if (a.changesVcpus()) {
                    assertThat(a.to().vcpus()).isBetween(cpuMin, cpuMax);
                }
                assertThat(a.reason()).isNotBlank();
            }
        }
    }

    /** Within the bounds, and a multiple of the granularity unless it is one of the bounds. */
    private static void assertMemory(long value, long min, long max, long granularity) {
        assertThat(value).isBetween(min, max);
        if (value != min && value != max) {
            assertThat(value % granularity).as("%d MiB is a multiple of %d MiB", value, granularity).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------- steady load

    /**
     * The scaler takes samples with {@code decide}, which leaves the words of a recommendation that changes nothing
     * unwritten until {@code latest()} is read: it acts exactly as {@code observe}, and its recommendation, once
     * read, is the same, note included.
     */
    @Property(tries = 300)
    void decidingWithoutWordsActsAndRecommendsAsObserving(@ForAll @DoubleRange(min = 0.3, max = 0.95) double memTarget,
                                                          @ForAll @DoubleRange(min = 0.3, max = 0.95) double cpuTarget,
                                                          @ForAll @LongRange(min = 256, max = 1 << 15) long initialMiB,
                                                          @ForAll @IntRange(min = 1, max = 16) int initialVcpus,
                                                          @ForAll boolean readEverySample,
                                                          @ForAll("steps") List<Step> steps) {
        GuestPolicy policy = policy(256, 1 << 16, 1, 32, memTarget, cpuTarget);
        SimulatedGuest observed = new SimulatedGuest(DEFAULTS, policy, initialMiB, initialVcpus);
        GuestRecommender quiet = new GuestRecommender("g", DEFAULTS);
        for (Step step : steps) {
            long used = Math.min(Check.MAX_MIB, Math.round(step.usedFraction() * Math.max(1, observed.assignedMiB)));
            Instant at = observed.now.plusSeconds(step.dtSeconds());
            if (step.dtSeconds() > 0) {
                observed.now = at;
            }
            GuestMetrics sample = new GuestMetrics("g", "h", at, observed.assignedMiB, used,
                    Math.max(0, observed.assignedMiB - used), observed.vcpus, step.cpuUsage(), null, null);
            Action action = quiet.decide(sample, policy, Long.MAX_VALUE, Integer.MAX_VALUE);
            Recommendation r = observed.observeAt(at, used, step.cpuUsage());
            assertThat(action).isEqualTo(r.action());
            if (action != null) {
                quiet.resized(action.to(), at);
            }
            if (readEverySample && step.dtSeconds() > 0) {
                assertThat(quiet.latest()).isEqualTo(observed.recommender.latest());
            }
        }
        assertThat(quiet.latest()).isEqualTo(observed.recommender.latest());
    }

    /**
     * Steady use, ±10 % noise on every sample, for two hours at one sample every 10 s: anywhere from far below
     * the shrink band to above the grow band, for memory and CPU alike. At most one resize of each per shrink
     * cooldown (15 min): a guest that is too big shrinks once, one that is too small grows once, and then
     * it stays. (Memory and vCPUs decide separately: one of each may fall in the same window, or be one
     * action.)
     */
    @Property(tries = 200)
    void steadyLoadWithTenPercentNoiseResizesAtMostOncePerCooldown(
            @ForAll @DoubleRange(min = 0.5, max = 0.9) double memTarget,
            @ForAll @DoubleRange(min = 0.5, max = 0.9) double cpuTarget,
            @ForAll @LongRange(min = 512, max = 65536) long initialMiB,
            @ForAll @IntRange(min = 1, max = 16) int initialVcpus,
            @ForAll @DoubleRange(min = 0, max = 1) double memLevel,
            @ForAll @DoubleRange(min = 0, max = 1) double cpuLevel,
            @ForAll long seed) {
        // From far below the shrink band to 10 % above the grow band (but below the emergency threshold).
        double memBase = initialMiB * (0.03 + memLevel * (DEFAULTS.growAbove(memTarget) + 0.10 - 0.03));
        double busyBase = initialVcpus * (0.02 + cpuLevel * (DEFAULTS.growAbove(cpuTarget) + 0.10 - 0.02));
        SimulatedGuest g = new SimulatedGuest(DEFAULTS,
                policy(256, 4 * initialMiB, 1, 64, memTarget, cpuTarget), initialMiB, initialVcpus);
        Random random = new Random(seed);
        for (int i = 0; i < 720; i++) {
            long used = Math.round(memBase * (0.9 + 0.2 * random.nextDouble()));
            double busy = busyBase * (0.9 + 0.2 * random.nextDouble());
            g.step(TEN_SECONDS, used, Math.min(1, busy / g.vcpus));
        }
        assertAtMostOnePerCooldown(g.actions.stream().filter(a -> a.action().changesMemory()).toList());
        assertAtMostOnePerCooldown(g.actions.stream().filter(a -> a.action().changesVcpus()).toList());
        Statistics.label("resizes").collect(g.actions.size());
    }

    /** Steady use whose noise stays inside the band (1 % from either edge) is left alone: no resize at all. */
    @Property(tries = 200)
    void steadyLoadInsideTheBandIsLeftAlone(@ForAll @DoubleRange(min = 0.5, max = 0.9) double memTarget,
                                            @ForAll @DoubleRange(min = 0.5, max = 0.9) double cpuTarget,
                                            @ForAll @LongRange(min = 512, max = 65536) long assignedMiB,
                                            @ForAll @IntRange(min = 1, max = 16) int vcpus,
                                            @ForAll @DoubleRange(min = 0, max = 1) double memLevel,
                                            @ForAll @DoubleRange(min = 0, max = 1) double cpuLevel,
                                            @ForAll long seed) {
        double memLow = (DEFAULTS.shrinkBelow(memTarget) + 0.01) / 0.9;
        double memHigh = (DEFAULTS.growAbove(memTarget) - 0.01) / 1.1;
        double memBase = assignedMiB * (memLow + memLevel * (memHigh - memLow));
        double cpuLow = (DEFAULTS.shrinkBelow(cpuTarget) + 0.01) / 0.9;
        double cpuHigh = (DEFAULTS.growAbove(cpuTarget) - 0.01) / 1.1;
        double cpuBase = cpuLow + cpuLevel * (cpuHigh - cpuLow);
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(256, 4 * assignedMiB, 1, 64, memTarget, cpuTarget),
                assignedMiB, vcpus);
        Random random = new Random(seed);
        for (int i = 0; i < 720; i++) {
            g.step(TEN_SECONDS, Math.round(memBase * (0.9 + 0.2 * random.nextDouble())),
                    cpuBase * (0.9 + 0.2 * random.nextDouble()));
        }
        assertThat(g.actions).isEmpty();
        assertThat(g.last.note()).contains("inside the");
    }

    private static void assertAtMostOnePerCooldown(List<Applied> actions) {
        for (int i = 1; i < actions.size(); i++) {
            Duration gap = Duration.between(actions.get(i - 1).at(), actions.get(i).at());
            assertThat(gap).as("between %s and %s", actions.get(i - 1), actions.get(i))
                    .isGreaterThanOrEqualTo(DEFAULTS.shrinkCooldown());
        }
    }

    // ------------------------------------------------------------------------------------------- spike

    /**
     * After any steady history, a working set jumping to 95 % or more of assigned memory gets a grow within
     * two samples (an emergency grow, past any cooldown), one that puts it back at the target.
     */
    @Property(tries = 1000)
    void aSpikeTo95PercentGetsAGrowWithinTwoSamples(
            @ForAll @DoubleRange(min = 0.0, max = 1.0) double memTarget,
            @ForAll @LongRange(min = 256, max = 65536) long initialMiB,
            @ForAll @IntRange(min = 0, max = 200) int history,
            @ForAll @IntRange(min = 1, max = 30) int stepSeconds,
            @ForAll @DoubleRange(min = 0.05, max = 0.9) double historyLevel,
            @ForAll @DoubleRange(min = 0.95, max = 1.0) double spike,
            @ForAll boolean justResized,
            @ForAll long seed) {
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(128, 1L << 20, 1, 8, memTarget, 0.7), initialMiB, 2);
        Random random = new Random(seed);
        Duration step = Duration.ofSeconds(stepSeconds);
        double base = initialMiB * historyLevel * DEFAULTS.growAbove(memTarget);
        for (int i = 0; i < history; i++) {
            g.step(step, Math.round(base * (0.95 + 0.05 * random.nextDouble())), 0.3);
        }
        if (justResized) {
            g.recommender.resized(new dev.nuvola.events.GuestSize(g.assignedMiB, g.vcpus), g.now);
        }
        int before = g.actions.size();
        long assigned = g.assignedMiB;
        long used = (long) Math.ceil(spike * assigned);
        g.step(step, used, 0.3);
        g.step(step, used, 0.3);
        assertThat(g.actions.size()).as("a grow within two samples").isGreaterThan(before);
        Action grow = g.actions.get(before).action();
        assertThat(grow.kind()).isIn(Action.Kind.EMERGENCY_GROW, Action.Kind.GROW);
        assertThat(grow.to().memoryMiB()).isGreaterThan(assigned);
        double target = DEFAULTS.effectiveTarget(memTarget);
        assertThat((double) used / grow.to().memoryMiB()).isLessThanOrEqualTo(target + 1e-9);
    }

    // ------------------------------------------------------------------------------------------- shrink floor

    /** A stretch of use: how long, its level (share of the initial size), and its noise. */
    record Phase(int minutes, double level, double noise) {
    }

    @Provide
    Arbitrary<List<Phase>> phases() {
        return Combinators.combine(Arbitraries.integers().between(1, 45),
                        Arbitraries.oneOf(Arbitraries.doubles().between(0, 1.0), Arbitraries.doubles().between(0, 0.3)),
                        Arbitraries.doubles().between(0, 0.3))
                .as(Phase::new).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Whatever the use, no shrink ever goes below the use plus the margin: memory or vCPUs. */
    @Property(tries = 300)
    void aShrinkNeverGoesBelowUsePlusMargin(@ForAll("phases") List<Phase> phases,
                                           @ForAll @DoubleRange(min = 0, max = 1) double memTarget,
                                           @ForAll @DoubleRange(min = 0, max = 1) double cpuTarget,
                                           @ForAll @LongRange(min = 256, max = 32768) long initialMiB,
                                           @ForAll @IntRange(min = 1, max = 16) int initialVcpus,
                                           @ForAll @IntRange(min = 5, max = 30) int stepSeconds,
                                           @ForAll long seed) {
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(0, 1L << 20, 1, 64, memTarget, cpuTarget), initialMiB,
                initialVcpus);
        Random random = new Random(seed);
        for (Phase phase : phases) {
            for (int s = 0; s < phase.minutes() * 60; s += stepSeconds) {
                double wobble = 1 + phase.noise() * (2 * random.nextDouble() - 1);
                long used = Math.round(Math.max(0, phase.level() * initialMiB * wobble));
                double busy = phase.level() * initialVcpus * wobble;
                g.step(Duration.ofSeconds(stepSeconds), used, Math.min(1, busy / g.vcpus));
            }
        }
        for (Applied applied : g.actions) {
            Action a = applied.action();
            if (a.to().memoryMiB() < a.from().memoryMiB()) {
                long used = applied.usedMiB();
                assertThat((double) a.to().memoryMiB()).as("%s", a.reason())
                        .isGreaterThanOrEqualTo(used + Math.max(used * 0.15, 128));
            }
            if (a.to().vcpus() < a.from().vcpus()) {
                assertThat((double) a.to().vcpus()).as("%s", a.reason())
                        .isGreaterThanOrEqualTo(applied.busyVcpus() * 1.15 - 1e-9);
            }
        }
        Statistics.label("memory shrinks").collect(
                g.actions.stream().anyMatch(a -> a.action().to().memoryMiB() < a.action().from().memoryMiB()));
    }

    // ------------------------------------------------------------------------------------------- hysteresis

    /**
     * Use going up and down a little across the grow threshold grows once, and then stays: no shrink back,
     * no second grow.
     */
    @Property(tries = 200)
    void useOscillatingAroundTheGrowThresholdGrowsOnceAndStays(
            @ForAll @DoubleRange(min = 0.5, max = 0.9) double memTarget,
            @ForAll @LongRange(min = 1024, max = 65536) long initialMiB,
            @ForAll @DoubleRange(min = 0.005, max = 0.03) @Scale(4) double amplitude,
            @ForAll @IntRange(min = 2, max = 60) int period) {
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(256, 1L << 20, 1, 8, memTarget, 0.7), initialMiB, 2);
        double threshold = DEFAULTS.growAbove(memTarget);
        for (int i = 0; i < 720; i++) {
            double level = threshold + ((i % period) < period / 2 ? amplitude : -amplitude);
            g.step(TEN_SECONDS, Math.round(level * initialMiB), 0.5);
        }
        assertThat(g.actions).hasSize(1);
        assertThat(g.actions.get(0).action().kind().isGrow()).isTrue();
    }

    /**
     * Use going up and down across the shrink threshold, in stretches of up to 16 minutes, for three hours:
     * memory moves at most once each way, never back and forth.
     */
    @Property(tries = 100)
    void useOscillatingAroundTheShrinkThresholdDoesNotFlap(
            @ForAll @DoubleRange(min = 0.5, max = 0.9) double memTarget,
            @ForAll @LongRange(min = 1024, max = 65536) long initialMiB,
            @ForAll @DoubleRange(min = 0.005, max = 0.05) @Scale(4) double amplitude,
            @ForAll @IntRange(min = 2, max = 200) int period) {
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(256, 1L << 20, 1, 8, memTarget, 0.7), initialMiB, 2);
        double threshold = DEFAULTS.shrinkBelow(memTarget);
        for (int i = 0; i < 1080; i++) {
            double level = threshold + ((i % period) < period / 2 ? amplitude : -amplitude);
            g.step(TEN_SECONDS, Math.round(level * initialMiB), 0.5);
        }
        int changes = 0;
        for (int i = 1; i < g.actions.size(); i++) {
            if (g.actions.get(i).action().kind().isGrow() != g.actions.get(i - 1).action().kind().isGrow()) {
                changes++;
            }
        }
        assertThat(changes).as("%s", g.actions).isLessThanOrEqualTo(1);
        assertThat(g.actions.size()).as("%s", g.actions).isLessThanOrEqualTo(2);
        Statistics.label("resizes").collect(g.actions.size());
    }

    // ------------------------------------------------------------------------------------------- trend

    /**
     * A steady climb (with ±1 % noise) that will pass the emergency threshold within the lead time once it
     * reaches the grow band is caught by the trend check before it reaches the band.
     */
    @Property(tries = 500)
    void aSteadyClimbGrowsBeforeReachingTheBand(
            @ForAll @DoubleRange(min = 0.5, max = 0.85) double memTarget,
            @ForAll @LongRange(min = 1024, max = 65536) long initialMiB,
            @ForAll @DoubleRange(min = 0, max = 1) double rateLevel,
            @ForAll @DoubleRange(min = 3, max = 10) double minutesToBand,
            @ForAll @IntRange(min = 1, max = 10) int stepSeconds,
            @ForAll long seed) {
        double band = DEFAULTS.growAbove(memTarget);
        double lead = DEFAULTS.trendLeadTime().toSeconds() / 60.0;
        // Fast enough that at the band the emergency threshold is less than the lead time away.
        double minRate = (DEFAULTS.emergencyThreshold() - band) / lead + 0.01;
        double ratePerMinute = minRate + rateLevel * (0.2 - minRate);
        double start = band - ratePerMinute * minutesToBand;
        Assume.that(start >= 0.05);
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(256, 1L << 20, 1, 8, memTarget, 0.7), initialMiB, 2);
        Random random = new Random(seed);
        for (double minute = 0; minute <= minutesToBand + 1 && g.actions.isEmpty(); minute += stepSeconds / 60.0) {
            double level = (start + ratePerMinute * minute) * (0.99 + 0.02 * random.nextDouble());
            g.step(Duration.ofSeconds(stepSeconds), Math.round(level * initialMiB), 0.5);
        }
        assertThat(g.actions).isNotEmpty();
        Applied first = g.actions.get(0);
        assertThat(first.action().kind()).isEqualTo(Action.Kind.TREND_GROW);
        assertThat((double) first.usedMiB() / first.action().from().memoryMiB()).isLessThanOrEqualTo(band);
    }

    /** Steady use with noise never looks like a trend. */
    @Property(tries = 100)
    void noiseIsNotATrend(@ForAll @DoubleRange(min = 0.5, max = 0.9) double memTarget,
                          @ForAll @LongRange(min = 512, max = 65536) long initialMiB,
                          @ForAll @DoubleRange(min = 0.6, max = 1.0) double level,
                          @ForAll @IntRange(min = 1, max = 30) int stepSeconds,
                          @ForAll long seed) {
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(256, 1L << 20, 1, 8, memTarget, 0.7), initialMiB, 2);
        double base = initialMiB * level * DEFAULTS.growAbove(memTarget) / 1.1;
        Random random = new Random(seed);
        for (int s = 0; s < 3600; s += stepSeconds) {
            g.step(Duration.ofSeconds(stepSeconds), Math.round(base * (0.9 + 0.2 * random.nextDouble())), 0.5);
        }
        assertThat(g.actions).noneMatch(a -> a.action().kind() == Action.Kind.TREND_GROW);
    }

    // ------------------------------------------------------------------------------------------- vCPUs

    /** CPU busy above the band for the sustain time grows vCPUs (unless at the maximum), never shrinks them. */
    @Property(tries = 500)
    void busyCpuGrowsVcpus(@ForAll @DoubleRange(min = 0.3, max = 0.9) double cpuTarget,
                           @ForAll @IntRange(min = 1, max = 32) int vcpus,
                           @ForAll @IntRange(min = 1, max = 64) int maxVcpus,
                           @ForAll @IntRange(min = 1, max = 5) int stepSeconds,
                           @ForAll @DoubleRange(min = 0, max = 1) double level) {
        Assume.that(maxVcpus >= vcpus);
        SimulatedGuest g = new SimulatedGuest(DEFAULTS, policy(256, 8192, 1, maxVcpus, 0.8, cpuTarget), 4096, vcpus);
        double band = DEFAULTS.growAbove(cpuTarget);
        double usage = Math.min(1, band + 0.01 + level * (1 - band));
        Assume.that(usage > band);
        long sustain = DEFAULTS.cpuGrowAfter().toSeconds();
        long steps = (sustain + stepSeconds - 1) / stepSeconds + 1;
        for (int i = 0; i < steps; i++) {
            g.step(Duration.ofSeconds(stepSeconds), 2800, usage);
        }
        if (vcpus == maxVcpus) {
            assertThat(g.actions).isEmpty();
            assertThat(g.last.note()).contains("cannot grow beyond");
        } else {
            assertThat(g.actions).hasSize(1);
            Action a = g.actions.get(0).action();
            assertThat(a.kind()).isEqualTo(Action.Kind.GROW);
            assertThat(a.to().vcpus()).isGreaterThan(vcpus).isLessThanOrEqualTo(maxVcpus);
            assertThat(a.changesMemory()).isFalse();
        }
    }
}
