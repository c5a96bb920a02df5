package dev.nuvola.scaler.logic.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayDeque;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class RecentWindowTest {

    @Test
    void keepsTheRecentSamplesOldestFirstAcrossWrapArounds() {
        RecentWindow w = new RecentWindow();
        assertThat(w.max(7)).isEqualTo(7);
        for (int t = 0; t < 100; t++) {
            w.add(t, t * 10L);
            w.dropBefore(t - 9);
        }
        assertThat(w.size()).isEqualTo(10);
        assertThat(w.time(0)).isEqualTo(90);
        assertThat(w.value(9)).isEqualTo(990);
        assertThat(w.max(0)).isEqualTo(990);
        LinearFit fit = w.fit(0, w.size(), 99);
        assertThat(fit.slope()).isEqualTo(10, offset(1e-9));
        assertThat(fit.at(0)).isEqualTo(990, offset(1e-9));
        // Ten samples at a time never span more than two chunks, which were reused all along.
        assertThat(w.capacity()).isLessThanOrEqualTo(64);
        assertThat(w.chunksAllocated()).isLessThanOrEqualTo(3);
    }

    /** Five minutes at one sample a second: room for the 301 samples and less than two chunks more. */
    @Test
    void aFullTrendWindowTakesLittleMoreRoomThanItsSamples() {
        RecentWindow w = new RecentWindow();
        oneASecondForFiveMinutes(w, 0, 3_000);
        assertThat(w.size()).isEqualTo(301);
        assertThat(w.capacity()).isBetween(301, 352);
    }

    /**
     * Five minutes at one sample a second for ten times as long: the window takes the chunks it needs while it
     * fills and then reuses them, allocating nothing in its steady state.
     */
    @Test
    void aSteadyWindowReusesItsChunks() {
        RecentWindow w = new RecentWindow();
        oneASecondForFiveMinutes(w, 0, 301);
        int filled = w.chunksAllocated();
        oneASecondForFiveMinutes(w, 301, 3_000);
        assertThat(filled).isBetween(10, 11);
        assertThat(w.chunksAllocated()).isEqualTo(filled + 1);
    }

    /**
     * A guest whose use does not move has every sample at its peak. A sample leaving while others hold the same peak
     * changes no peak: the sums are taken again when a chunk empties, not for every sample (2,700 drops here).
     */
    @Test
    void aFlatWindowSumsItselfAgainOncePerChunkNotOncePerSample() {
        RecentWindow w = new RecentWindow();
        oneASecondForFiveMinutes(w, 0, 3_000);
        assertThat(w.max(-1)).isEqualTo(1_000);
        assertThat(w.resums()).isBetween(2_700 / 32, 2_700 / 32 + 2);
    }

    /** Feeds samples at seconds {@code from} to {@code to} (exclusive), keeping the last five minutes. */
    private static void oneASecondForFiveMinutes(RecentWindow w, int from, int to) {
        for (int t = from; t < to; t++) {
            w.add(t, 1_000);
            w.dropBefore(t - 300);
        }
    }

    @Test
    void refusesValuesAnIntCannotHold() {
        RecentWindow w = new RecentWindow();
        assertThatThrownBy(() -> w.add(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.add(0, Integer.MAX_VALUE + 1L)).isInstanceOf(IllegalArgumentException.class);
        w.add(0, Integer.MAX_VALUE);
        assertThat(w.max(0)).isEqualTo(Integer.MAX_VALUE);
    }

    /** Whatever the adds and drops, the window holds exactly the samples a plain queue would. */
    @Property(tries = 500)
    void behavesLikeAQueue(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 40) Integer> gaps,
                           @ForAll @IntRange(min = 1, max = 200) int keep) {
        RecentWindow w = new RecentWindow();
        ArrayDeque<double[]> q = new ArrayDeque<>();
        double t = 0;
        for (int gap : gaps) {
            t += gap;
            w.add(t, (long) (t * 3 % 17));
            q.addLast(new double[] {t, (long) (t * 3 % 17)});
            w.dropBefore(t - keep);
            while (q.peekFirst()[0] < t - keep) {
                q.removeFirst();
            }
            assertThat(w.size()).isEqualTo(q.size());
            assertThat(w.time(0)).isEqualTo(q.peekFirst()[0]);
            assertThat(w.value(w.size() - 1)).isEqualTo(q.peekLast()[1]);
            assertThat(w.max(0)).isEqualTo(q.stream().mapToDouble(p -> p[1]).max().orElse(0));
        }
    }

    /**
     * The trend is fitted exactly as on the plain double arrays the window used to be: {@link LinearFit} runs the
     * same sums in the same order, the times are the same doubles, and every value reads back as the very double
     * its whole MiB made before (an int widens to a double exactly). What is left to show is that the ring, wrapped
     * around and grown, presents the same points as samples added in one go: its fits over the whole window and
     * its halves give the same bits (record equality), as does its peak. Hence the same decisions.
     */
    @Property(tries = 300)
    void aWrappedRingFitsAndPeaksBitForBitAsTheSamePointsUnwrapped(
            @ForAll @Size(min = 1, max = 700) List<@DoubleRange(min = 0, max = 3) Double> gaps,
            @ForAll @Size(min = 1, max = 700) List<@LongRange(min = 0, max = 64L * 1024 * 1024) Long> values,
            @ForAll @IntRange(min = 2, max = 400) int keepSeconds) {
        RecentWindow w = new RecentWindow();
        ArrayDeque<double[]> kept = new ArrayDeque<>();
        double t = 1_790_000_000.123;
        for (int i = 0; i < gaps.size(); i++) {
            t = Math.round((t + gaps.get(i)) * 1000) / 1000.0; // times are kept to the millisecond
            long value = values.get(i % values.size());
            w.add(t, value);
            kept.addLast(new double[] {t, value});
            w.dropBefore(t - keepSeconds);
            while (kept.peekFirst()[0] < t - keepSeconds) {
                kept.removeFirst();
            }
            RecentWindow unwrapped = new RecentWindow();
            kept.forEach(p -> unwrapped.add(p[0], (long) p[1]));
            int n = kept.size();
            assertThat(w.size()).isEqualTo(n);
            assertThat(w.value(n - 1)).isEqualTo((double) value);
            assertThat(w.max(-1)).isEqualTo(kept.stream().mapToDouble(p -> p[1]).max().orElseThrow());
            int half = n / 2;
            assertThat(w.fit(0, n, t)).isEqualTo(unwrapped.fit(0, n, t));
            assertThat(w.fit(0, half, t)).isEqualTo(unwrapped.fit(0, half, t));
            assertThat(w.fit(half, n, t)).isEqualTo(unwrapped.fit(half, n, t));
        }
    }

    /**
     * The whole window's fit, kept from running sums, is the two-pass fit of the same points to within rounding,
     * whatever the adds, drops, times (at today's epoch seconds) and values (up to 2^26 MiB).
     */
    @Property(tries = 1000)
    void theRunningFitIsTheTwoPassFitToWithinRounding(
            @ForAll @Size(min = 1, max = 900) List<@DoubleRange(min = 0.01, max = 3) Double> gaps,
            @ForAll @Size(min = 1, max = 900) List<@LongRange(min = 0, max = 64L * 1024 * 1024) Long> values,
            @ForAll @IntRange(min = 0, max = 64) int slopeMiBPerSecond,
            @ForAll @IntRange(min = 2, max = 400) int keepSeconds) {
        RecentWindow w = new RecentWindow();
        double t = 1_790_000_000.123_456_789;
        for (int i = 0; i < gaps.size(); i++) {
            t += gaps.get(i);
            long value = Math.min(64L * 1024 * 1024, values.get(i % values.size()) / 1024 + slopeMiBPerSecond * i);
            w.add(t, value);
            w.dropBefore(t - keepSeconds);
            int n = w.size();
            LinearFit twoPass = w.fit(0, n, t);
            LinearFit running = w.fitAll(t);
            if (twoPass == null) {
                assertThat(running).isNull();
                continue;
            }
            double span = t - w.time(0) + 1;
            double valueScale = w.max(0) + 1;
            assertThat(running.n()).isEqualTo(n);
            assertThat(running.meanX()).isCloseTo(twoPass.meanX(), offset(1e-6 * span));
            // Each time read as a double at today's epoch seconds is off by up to 1.2e-7 s, in both fits.
            double sxxError = 1e-9 * twoPass.sxx() + 5e-7 * n * span;
            double relative = sxxError / twoPass.sxx();
            assertThat(running.sxx()).isCloseTo(twoPass.sxx(), offset(sxxError));
            assertThat(running.slope()).isCloseTo(twoPass.slope(),
                    offset(2 * relative * Math.abs(twoPass.slope()) + 1e-7 * valueScale / span));
            assertThat(running.intercept()).isCloseTo(twoPass.intercept(),
                    offset(2 * relative * Math.abs(twoPass.slope()) * span + 1e-7 * valueScale));
            assertThat(running.r2()).isCloseTo(twoPass.r2(), offset(1e-6));
            // The residuals are what is left of syy once the line explains it: for a near-perfect line, an error of
            // about the square root of the sums' precision, times the values' scale (2e-6 of it seen in 3,000 tries).
            assertThat(running.residualError()).isCloseTo(twoPass.residualError(), offset(3e-5 * valueScale));
        }
    }

    /**
     * A flat stretch after a step to 60,000,000 MiB fits no trend, not one of rounding errors: until the sums are
     * taken again from the flat values, their squares are past 2^53 and not exact, which must not show.
     */
    @Test
    void aFlatWindowFitsExactlyFlat() {
        RecentWindow w = new RecentWindow();
        double t = 1_790_000_000.5;
        for (int i = 0; i < 1_000; i++) {
            t += 0.7 + (i % 3) * 0.15;
            w.add(t, i < 500 ? 1_000 + 37L * i : 60_000_000);
            w.dropBefore(t - 300);
            if (i > 500 && w.time(0) > t - 300 && w.value(0) == 60_000_000) {
                LinearFit fit = w.fitAll(t);
                assertThat(fit.r2()).isLessThan(1e-12);
                assertThat(fit.slope()).isCloseTo(0, offset(1e-9));
                assertThat(fit.at(0)).isCloseTo(60_000_000, offset(1e-6));
            }
        }
        assertThat(w.value(0)).isEqualTo(60_000_000);
    }

    /** Times are kept to the millisecond and read back as the same doubles, also after the origin moves. */
    @Test
    void keepsTimesToTheMillisecondAcrossMovesOfTheirOrigin() {
        RecentWindow w = new RecentWindow();
        ArrayDeque<double[]> kept = new ArrayDeque<>();
        double t = 1_790_000_000.0;
        for (int i = 0; i < 80; i++) {
            t += 30_000.123_4; // 80 samples over 28 days: the origin moves after about 12, and 24
            w.add(t, 1_000 + i);
            kept.addLast(new double[] {Math.round(t * 1000) / 1000.0, 1_000 + i});
            w.dropBefore(t - 100_000);
            while (kept.peekFirst()[0] < t - 100_000) {
                kept.removeFirst();
            }
        }
        assertThat(t - 1_790_000_000.0).isGreaterThan(2.0 * RecentWindow.REBASE_AFTER_MILLIS / 1000);
        assertThat(w.size()).isEqualTo(kept.size()).isEqualTo(4);
        int k = 0;
        for (double[] sample : kept) {
            assertThat(w.time(k)).isEqualTo(sample[0]);
            assertThat(w.value(k++)).isEqualTo(sample[1]);
        }
        assertThat(w.fitAll(t).slope()).isCloseTo(1 / 30_000.123_4, offset(1e-9));
    }

    /** Samples more than 24 days apart cannot share the window: the caller drops the old ones first. */
    @Test
    void refusesASampleTooFarFromTheOldestKept() {
        RecentWindow w = new RecentWindow();
        w.add(1_790_000_000.0, 1_000);
        assertThatThrownBy(() -> w.add(1_790_000_000.0 + 25 * 86_400, 1_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 days");
        w.dropBefore(1_790_000_000.0 + 25 * 86_400 - 300);
        w.add(1_790_000_000.0 + 25 * 86_400, 1_200);
        assertThat(w.size()).isEqualTo(1);
        assertThat(w.max(0)).isEqualTo(1_200);
    }
}
