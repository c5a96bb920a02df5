package dev.nuvola.scaler.logic.recommender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class DecayingHistogramTest {
    private static final double HALF_LIFE = 600;

    @Test
    void anEmptyHistogramHasNoPercentile() {
        DecayingHistogram h = new DecayingHistogram(1, HALF_LIFE);
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.percentile(0.95)).isZero();
    }

    @Test
    void steadyUseGivesItsExactValue() {
        DecayingHistogram h = new DecayingHistogram(1, HALF_LIFE);
        for (int t = 0; t < 3600; t++) {
            h.add(1850, t);
        }
        assertThat(h.percentile(0.5)).isEqualTo(1850);
        assertThat(h.percentile(0.95)).isEqualTo(1850);
        assertThat(h.storedBuckets()).isEqualTo(1);
    }

    @Test
    void oldUseFadesWithTheHalfLife() {
        DecayingHistogram h = new DecayingHistogram(1, HALF_LIFE);
        for (int t = 0; t < 3600; t++) {
            h.add(4000, t);
        }
        // After the drop, p95 stays high while the old samples weigh more than 5 %: about 4.3 half-lives.
        double dropAt = 3600;
        double followedAt = Double.NaN;
        for (int t = 3600; t < 3600 + 8 * 600; t++) {
            h.add(1000, t);
            if (Double.isNaN(followedAt) && h.percentile(0.95) < 1100) {
                followedAt = t;
            }
        }
        double halfLives = (followedAt - dropAt) / HALF_LIFE;
        assertThat(halfLives).isBetween(3.5, 4.5);
        // A rise shows at once in the high percentiles: 5 % of the weight is a few seconds' samples.
        for (int t = 3600 + 8 * 600; t < 3600 + 8 * 600 + 60; t++) {
            h.add(3000, t);
        }
        assertThat(h.percentile(0.95)).isEqualTo(3000);
    }

    @Test
    void weightsAreRebasedAndStayFiniteOverDays() {
        DecayingHistogram h = new DecayingHistogram(1, 60);
        for (int t = 0; t < 7 * 24 * 3600; t += 10) {
            h.add(t % 20 == 0 ? 100 : 200, t);
        }
        assertThat(h.percentile(0.25)).isEqualTo(100);
        assertThat(h.percentile(0.95)).isEqualTo(200);
        assertThat(h.storedBuckets()).isLessThan(40);
    }

    @Test
    void bucketsAreExponentialAndFirstHoldsNearZero() {
        DecayingHistogram h = new DecayingHistogram(1, HALF_LIFE);
        assertThat(h.bucketOf(0)).isZero();
        assertThat(h.bucketOf(0.5)).isZero();
        assertThat(h.bucketOf(1)).isEqualTo(1);
        assertThat(h.bucketOf(1.019)).isEqualTo(1);
        assertThat(h.bucketOf(1.021)).isEqualTo(2);
        assertThat(h.bucketOf(64L * 1024 * 1024)).isLessThan(1000);
    }

    record Sample(double value, int dt) {
    }

    @Provide
    Arbitrary<List<Sample>> samples() {
        return Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.doubles().between(0, 100_000), Arbitraries.doubles().between(0, 2),
                                Arbitraries.of(0.0, 1.0, 128.0, 4096.0)),
                        Arbitraries.integers().between(0, 900))
                .as(Sample::new).list().ofMinSize(1).ofMaxSize(200);
    }

    /**
     * The percentile is never below the true weighted percentile of the samples, nor more than one bucket
     * (2 %, or the first bucket near zero) above it.
     */
    @Property(tries = 1000)
    void percentileIsTheTrueWeightedPercentileRoundedUpToItsBucket(@ForAll("samples") List<Sample> samples,
                                                                  @ForAll @DoubleRange(min = 0.01, max = 0.99) double p) {
        DecayingHistogram h = new DecayingHistogram(1, HALF_LIFE);
        List<double[]> weighted = new ArrayList<>();
        double t = 0;
        for (Sample s : samples) {
            t += s.dt();
            h.add(s.value(), t);
            weighted.add(new double[] {s.value(), Math.pow(2, t / HALF_LIFE)});
        }
        weighted.sort(Comparator.comparingDouble(w -> w[0]));
        double total = weighted.stream().mapToDouble(w -> w[1]).sum();
        // The smallest value reaching p of the weight; a hair either side of p, as sums of weights round.
        double low = smallestReaching(weighted, p * total * (1 - 1e-6));
        double high = smallestReaching(weighted, p * total * (1 + 1e-6));
        double got = h.percentile(p);
        assertThat(got).isGreaterThanOrEqualTo(low);
        assertThat(got).isLessThanOrEqualTo(high < 1 ? 1 : high * DecayingHistogram.RATIO * (1 + 1e-12));
    }

    private static double smallestReaching(List<double[]> sorted, double threshold) {
        double cumulative = 0;
        for (double[] w : sorted) {
            cumulative += w[1];
            if (cumulative >= threshold) {
                return w[0];
            }
        }
        return sorted.get(sorted.size() - 1)[0];
    }
}
