package dev.nuvola.scaler.logic.recommender;

import static dev.nuvola.scaler.logic.recommender.SimulatedGuest.T0;
import static dev.nuvola.scaler.logic.recommender.SimulatedGuest.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestSize;

class GuestRecommenderTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private final RecommenderConfig config = RecommenderConfig.defaults();

    private SimulatedGuest guest(long assignedMiB, int vcpus) {
        return new SimulatedGuest(config, policy(512, 16384, 1, 16, 0.80, 0.70), assignedMiB, vcpus);
    }

    @Test
    void growsOnTheFirstSampleAboveTheBandBackToTheTargetAndSaysWhy() {
        SimulatedGuest g = guest(2048, 2);
        for (int i = 0; i < 30; i++) {
            assertThat(g.step(TEN_SECONDS, 1400, 0.3).action()).isNull();
        }
        Recommendation r = g.step(TEN_SECONDS, 1850, 0.3);

        assertThat(r.action()).isNotNull();
        assertThat(r.action().kind()).isEqualTo(Action.Kind.GROW);
        assertThat(r.action().from()).isEqualTo(new GuestSize(2048, 2));
        // The peak plus 15 %, 2127.5 MiB, at 80 %: 2659.4, rounded up to 128 MiB: 2688; vCPUs untouched.
        assertThat(r.action().to()).isEqualTo(new GuestSize(2688, 2));
        assertThat(r.action().reason())
                .contains("working set 1850 MiB is 90% of 2048 MiB, above the 85% band")
                .contains("memory 2048 → 2688 MiB")
                .contains("peak 1850 MiB of the last 5 min plus the margin at the 80% target, rounded up to 128 MiB");
        assertThat(r.note()).isEqualTo(r.action().reason());
    }

    /** A guest silent for a month (stopped, or its agent down) picks up where it is, with a window of new samples. */
    @Test
    void aGuestBackAfterAMonthOfSilenceIsJudgedOnItsNewSamples() {
        SimulatedGuest g = guest(2048, 2);
        for (int i = 0; i < 30; i++) {
            g.step(TEN_SECONDS, 1400, 0.3);
        }
        g.step(Duration.ofDays(30), 1400, 0.3);
        for (int i = 0; i < 5; i++) {
            assertThat(g.step(TEN_SECONDS, 1400, 0.3).action()).isNull();
        }
        Recommendation r = g.step(TEN_SECONDS, 1850, 0.3);
        assertThat(r.action()).isNotNull();
        assertThat(r.action().kind()).isEqualTo(Action.Kind.GROW);
        assertThat(r.action().reason()).contains("peak 1850 MiB of the last 5 min");
    }

    @Test
    void emergencyGrowsAtOnceEvenRightAfterAResizeAndByAtLeastAQuarter() {
        SimulatedGuest g = guest(2048, 2);
        g.step(SECOND, 1000, 0.2);
        g.recommender.resized(new GuestSize(2048, 2), g.now);
        Recommendation r = g.step(SECOND, 1960, 0.2);

        assertThat(r.action().kind()).isEqualTo(Action.Kind.EMERGENCY_GROW);
        // (1960 + 15 %) / 80 % = 2817.5, rounded up: 2944, more than the 25 % emergency growth (2560).
        assertThat(r.action().to().memoryMiB()).isEqualTo(2944);
        assertThat(r.action().reason()).contains("96% of 2048 MiB, at or above the 95% emergency threshold");

        // Where the use is small next to the size, the emergency growth is what counts.
        SimulatedGuest big = guest(8192, 2);
        big.hypervisorMaxMemoryMiB = 16384;
        big.step(SECOND, 4000, 0.2);
        big.recommender.resized(new GuestSize(8192, 2), big.now);
        big.policy = policy(512, 16384, 1, 16, 0.90, 0.70);
        Recommendation r2 = big.step(SECOND, 7800, 0.2);
        assertThat(r2.action().kind()).isEqualTo(Action.Kind.EMERGENCY_GROW);
        assertThat(r2.action().to().memoryMiB()).isEqualTo(10240);
        assertThat(r2.action().reason()).contains("the 25% emergency growth");
    }

    @Test
    void anOrdinaryGrowWaitsForTheGrowCooldown() {
        SimulatedGuest g = guest(2048, 2);
        g.applyActions = false;
        g.step(SECOND, 1000, 0.2);
        g.recommender.resized(new GuestSize(2048, 2), g.now);
        Recommendation r = g.step(Duration.ofSeconds(10), 1850, 0.2);
        assertThat(r.action()).isNull();
        assertThat(r.note()).contains("waits for the 30 s cooldown");
        assertThat(g.step(Duration.ofSeconds(20), 1850, 0.2).action().kind()).isEqualTo(Action.Kind.GROW);
    }

    @Test
    void cannotGrowBeyondTheMaximumAndSaysSo() {
        SimulatedGuest g = guest(4096, 2);
        g.hypervisorMaxMemoryMiB = 4096;
        Recommendation r = g.step(SECOND, 4000, 0.2);
        assertThat(r.action()).isNull();
        assertThat(r.note()).contains("cannot grow beyond 4096 MiB: the hypervisor maximum 4096 MiB");
        assertThat(r.targetMemoryMiB()).isEqualTo(4096);
    }

    @Test
    void aGrowIsCappedAtTheSmallerMaximum() {
        SimulatedGuest g = guest(2048, 2);
        g.hypervisorMaxMemoryMiB = 2400;
        Recommendation r = g.step(SECOND, 2000, 0.2);
        assertThat(r.action().to().memoryMiB()).isEqualTo(2400);
        assertThat(r.action().reason()).contains("capped at the hypervisor maximum 2400 MiB");
    }

    @Test
    void shrinksOnlyAfterSustainedLowUseAndTheLongCooldownAndNeverBelowUsePlusMargin() {
        SimulatedGuest g = guest(8192, 2);
        Recommendation r = null;
        // 2048 MiB is 25 % of 8192: below the 60 % band from the first sample.
        for (int i = 0; i < 90; i++) { // 15 minutes from the first sample
            r = g.step(TEN_SECONDS, 2048, 0.5);
            assertThat(r.action()).as("sample %d", i).isNull();
        }
        assertThat(r.note()).contains("the shrink waits until");
        r = g.step(TEN_SECONDS, 2048, 0.5);
        assertThat(r.action()).isNotNull();
        assertThat(r.action().kind()).isEqualTo(Action.Kind.SHRINK);
        // 2048 / 0.80 = 2560: the working set at the target, already a multiple of 128.
        assertThat(r.action().to().memoryMiB()).isEqualTo(2560);
        assertThat(r.action().reason()).contains("below the 60% band for 15 min").contains("memory 8192 → 2560 MiB");
        // And then it stays: the guest is inside its band.
        for (int s = 0; s < 3600; s += 10) {
            assertThat(g.step(TEN_SECONDS, 2048, 0.5).action()).isNull();
        }
    }

    @Test
    void steadyUseSampledEverySecondForTwoHoursIsLeftAlone() {
        SimulatedGuest g = guest(4096, 4);
        java.util.Random random = new java.util.Random(42);
        for (int s = 0; s < 2 * 3600; s++) {
            long used = Math.round(2900 * (0.9 + 0.2 * random.nextDouble())); // 64 % to 78 % of 4096
            g.step(SECOND, used, 0.6 * (0.9 + 0.2 * random.nextDouble()));
        }
        assertThat(g.actions).isEmpty();
        assertThat(g.last.confidence()).isEqualTo(1.0);
        assertThat(g.last.note()).contains("inside the 60–85% band").contains("inside the 52–75% band");
    }

    /**
     * A recommendation that changes nothing keeps numbers, not words: read later, after a resize has reset the
     * clocks its words tell of, it says what its own sample said.
     */
    @Test
    void unreadWordsAreThoseOfTheirSampleEvenWhenReadAfterAResize() {
        GuestRecommender r = new GuestRecommender("g", config);
        var policy = policy(512, 16384, 1, 16, 0.80, 0.70);
        java.time.Instant t = T0;
        for (int i = 0; i < 4; i++) {
            t = t.plusSeconds(10);
            // 2048 of 8192 MiB, 25 %: below the 60 % band; CPU 60 % of 2: inside its 52–75 % band.
            assertThat(r.decide(new GuestMetrics("g", "h", t, 8192, 2048, 6144, 2, 0.6, null, null), policy, 16384, 16))
                    .isNull();
        }
        r.resized(new GuestSize(8192, 2), t);
        assertThat(r.latest().note()).isEqualTo("working set 2048 MiB is 25% of 8192 MiB, below the 60% band for 30 s;"
                + " a shrink needs 5 min; CPU 60% of 2 vCPUs, inside the 52–75% band");

        // A sample taken before a resize the agent reported describes the old size: so it says, whatever comes later.
        java.time.Instant resizedAt = t.plusSeconds(5);
        r.resized(new GuestSize(8192, 2), resizedAt);
        assertThat(r.decide(new GuestMetrics("g", "h", t.plusSeconds(3), 8192, 2048, 6144, 2, 0.6, null, null), policy,
                16384, 16)).isNull();
        r.resized(new GuestSize(8192, 2), resizedAt.plusSeconds(60));
        assertThat(r.latest().note()).isEqualTo("sample taken at " + t.plusSeconds(3) + ", not after the last resize at "
                + resizedAt + ": it describes the old size and is not acted on");
    }

    @Test
    void oneSampleInsideTheBandRestartsTheSustainedLowClock() {
        SimulatedGuest g = guest(8192, 2);
        for (int s = 0; s < 20 * 60; s += 10) {
            g.step(TEN_SECONDS, 2048, 0.5);
        }
        // Undo the shrink it made, then interrupt the low stretch.
        g.assignedMiB = 8192;
        g.recommender.resized(new GuestSize(8192, 2), g.now);
        g.actions.clear();
        for (int s = 0; s < 60 * 60; s += 10) {
            long used = (s % 240 == 0) ? 5200 : 2048; // every 4 min one sample at 63 %
            g.step(TEN_SECONDS, used, 0.5);
        }
        assertThat(g.actions).isEmpty();
    }

    @Test
    void trendGrowsBeforeTheBandIsReached() {
        SimulatedGuest g = guest(4096, 2);
        double growAbove = config.growAbove(0.80);
        // From 40 % climbing 5 % of 4096 MiB a minute: it reaches the 85 % band after 9 minutes.
        Recommendation r = null;
        for (int s = 0; s <= 9 * 60; s += 10) {
            long used = Math.round(4096 * (0.40 + 0.05 * s / 60.0));
            r = g.step(TEN_SECONDS, used, 0.3);
            if (r.action() != null) {
                assertThat(g.actions.get(0).usedMiB()).isLessThan(Math.round(growAbove * 4096));
                break;
            }
        }
        assertThat(r.action()).isNotNull();
        assertThat(r.action().kind()).isEqualTo(Action.Kind.TREND_GROW);
        assertThat(r.action().reason()).contains("climbing").contains("within the 5 min lead time")
                .contains("predicted");
    }

    @Test
    void aStepUpIsNotATrend() {
        SimulatedGuest g = guest(4096, 2);
        for (int s = 0; s < 5 * 60; s += 10) {
            g.step(TEN_SECONDS, 2100, 0.4);
        }
        // One jump to 81 %, inside the band, then flat: a line through it rises, but it is not a climb.
        for (int s = 0; s < 10 * 60; s += 10) {
            Recommendation r = g.step(TEN_SECONDS, 3320, 0.4);
            assertThat(r.action()).as("%d s after the step: %s", s, r.note()).isNull();
        }
    }

    @Test
    void aSquareWaveAfterAShrinkDoesNotFlap() {
        // Found by the properties: a shrink to the p95 at the target, then a step up read as a trend, grown
        // back, and again every 20 minutes.
        SimulatedGuest g = new SimulatedGuest(config, policy(256, 1 << 20, 1, 8, 0.79, 0.7), 1089, 2);
        for (int i = 0; i < 1440; i++) {
            g.step(TEN_SECONDS, (i % 122) < 61 ? 700 : 591, 0.5);
        }
        assertThat(g.actions).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void growsVcpusWhenCpuStaysBusyButNotOnAOneSampleSpike() {
        SimulatedGuest g = guest(4096, 2);
        g.step(SECOND, 2000, 0.2);
        assertThat(g.step(SECOND, 2000, 1.0).action()).isNull();
        assertThat(g.step(SECOND, 2000, 0.2).action()).isNull();
        Recommendation r = null;
        for (int i = 0; i < 16; i++) {
            r = g.step(SECOND, 2000, 0.9);
        }
        assertThat(r.action()).isNotNull();
        assertThat(r.action().kind()).isEqualTo(Action.Kind.GROW);
        assertThat(r.action().changesMemory()).isFalse();
        // 1.8 busy vCPUs at 70 %: 2.57, so 3.
        assertThat(r.action().to().vcpus()).isEqualTo(3);
        assertThat(r.action().reason()).contains("CPU 90% of 2 vCPUs, above the 75% band for 15 s");
    }

    @Test
    void aSaturatedCpuGrowsWithHeadroomInOneStep() {
        // Found by the properties: at 100 % the load's real demand is hidden; one more vCPU was not enough and
        // a second grow followed. The margin on top of the busy vCPUs at the target covers it.
        SimulatedGuest g = new SimulatedGuest(config, policy(512, 16384, 1, 16, 0.80, 0.86), 4096, 6);
        Recommendation r = null;
        for (int i = 0; i < 16; i++) {
            r = g.step(SECOND, 2800, 1.0);
        }
        assertThat(r.action().kind()).isEqualTo(Action.Kind.GROW);
        // 6 busy vCPUs plus 15 % at 86 %: 8.02, so 9.
        assertThat(r.action().to().vcpus()).isEqualTo(9);
        assertThat(r.action().reason()).contains("busy 6.00 vCPUs plus the margin at the 86% target");
    }

    @Test
    void shrinksVcpusSlowly() {
        SimulatedGuest g = guest(4096, 8);
        for (int i = 0; i < 90; i++) {
            assertThat(g.step(TEN_SECONDS, 2600, 0.10).action()).isNull();
        }
        Recommendation r = g.step(TEN_SECONDS, 2600, 0.10);
        assertThat(r.action().kind()).isEqualTo(Action.Kind.SHRINK);
        // 0.8 busy vCPUs at 70 %: 1.14, so 2.
        assertThat(r.action().to()).isEqualTo(new GuestSize(4096, 2));
    }

    @Test
    void memoryAndVcpusMayChangeInOneAction() {
        SimulatedGuest g = guest(2048, 2);
        for (int i = 0; i < 15; i++) {
            assertThat(g.step(SECOND, 1200, 0.95).action()).isNull();
        }
        Recommendation r = g.step(SECOND, 1900, 0.95);
        assertThat(r.action().changesMemory()).isTrue();
        assertThat(r.action().changesVcpus()).isTrue();
        assertThat(r.action().kind()).isEqualTo(Action.Kind.GROW);
        assertThat(r.action().reason()).contains("memory 2048 →").contains("; CPU 95% of 2 vCPUs");
    }

    @Test
    void samplesOutOfOrderAreIgnored() {
        SimulatedGuest g = guest(2048, 2);
        g.step(TEN_SECONDS, 1000, 0.2);
        Recommendation before = g.last;
        Recommendation r = g.observeAt(g.now.minusSeconds(5), 2000, 1.0);
        assertThat(r.action()).isNull();
        assertThat(r.note()).contains("ignored: not newer than the last one");
        assertThat(r.samples()).isEqualTo(before.samples());
        assertThat(r.basedOn()).isEqualTo(before.basedOn());
        assertThat(g.observeAt(g.now, 2000, 1.0).samples()).isEqualTo(before.samples());
    }

    @Test
    void samplesTakenBeforeAReportedResizeAreNotActedOn() {
        SimulatedGuest g = guest(2048, 2);
        g.step(SECOND, 1000, 0.2);
        g.recommender.resized(new GuestSize(2560, 2), g.now.plusSeconds(5));
        Recommendation r = g.step(SECOND, 2000, 0.2); // still the old size, sampled before the resize
        assertThat(r.action()).isNull();
        assertThat(r.note()).contains("describes the old size");
    }

    @Test
    void aSizeChangeSeenInTheSamplesStartsTheCooldownLikeAReportedResize() {
        SimulatedGuest g = guest(8192, 2);
        for (int s = 0; s < 14 * 60; s += 10) {
            g.step(TEN_SECONDS, 2048, 0.5);
        }
        g.assignedMiB = 7168; // an operator's resize the scaler did not hear about
        for (int s = 0; s < 14 * 60; s += 10) {
            Recommendation r = g.step(TEN_SECONDS, 2048, 0.5);
            assertThat(r.action()).as("at %d s after the operator's resize", s).isNull();
        }
        for (int s = 0; s < 2 * 60; s += 10) {
            g.step(TEN_SECONDS, 2048, 0.5);
        }
        assertThat(g.actions).hasSize(1);
        assertThat(g.actions.get(0).action().from().memoryMiB()).isEqualTo(7168);
    }

    @Test
    void confidenceGrowsWithSamplesAndTimeAndTheBoundsNarrow() {
        SimulatedGuest g = guest(4096, 2);
        Recommendation first = g.step(TEN_SECONDS, 2600, 0.4);
        assertThat(first.confidence()).isZero();
        Recommendation r = first;
        for (int s = 0; s < 3600; s += 10) {
            r = g.step(TEN_SECONDS, 2600, 0.4);
        }
        assertThat(r.confidence()).isEqualTo(1.0);
        assertThat(first.upperBoundMemoryMiB() - first.lowerBoundMemoryMiB())
                .isGreaterThan(r.upperBoundMemoryMiB() - r.lowerBoundMemoryMiB());
        assertThat(r.lowerBoundMemoryMiB()).isLessThanOrEqualTo(r.targetMemoryMiB());
        assertThat(r.targetMemoryMiB()).isLessThanOrEqualTo(r.upperBoundMemoryMiB());
        // p95 2600 at the 80 % target = 3250, rounded up to 3328.
        assertThat(r.targetMemoryMiB()).isEqualTo(3328);
        // 0.8 busy vCPUs at the 70 % target: 1.14, so 2.
        assertThat(r.targetVcpus()).isEqualTo(2);
    }

    @Test
    void refusesAnotherGuestsSamplesAndNonsense() {
        GuestRecommender recommender = new GuestRecommender("g", config);
        GuestMetrics other = new GuestMetrics("other", "h", T0, 1024, 512, 512, 1, 0.1, null, null);
        assertThatThrownBy(() -> recommender.observe(other, policy(0, 4096, 1, 4, 0.8, 0.7), 4096, 4))
                .hasMessageContaining("sample of guest other");
        GuestMetrics mine = new GuestMetrics("g", "h", T0, 1024, 512, 512, 1, 0.1, null, null);
        assertThatThrownBy(() -> recommender.observe(mine, policy(0, 4096, 1, 4, 0.8, 0.7), -1, 4))
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new GuestRecommender(" ", config)).hasMessageContaining("guestId");
    }

    @Test
    void durationsReadNaturally() {
        assertThat(GuestRecommender.duration(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(GuestRecommender.duration(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(GuestRecommender.duration(Duration.ofSeconds(150))).isEqualTo("2 min 30 s");
        assertThat(GuestRecommender.duration(Duration.ofMinutes(65))).isEqualTo("1 h 5 min");
    }
}
