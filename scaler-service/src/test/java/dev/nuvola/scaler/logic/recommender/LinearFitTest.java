package dev.nuvola.scaler.logic.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LinearFitTest {

    @Test
    void aPerfectLineHasNoSlopeErrorAndFitsFully() {
        double[] x = {-4, -3, -2, -1, 0};
        double[] y = {2, 4, 6, 8, 10};
        LinearFit fit = fit(x, y, 0, 5);
        assertThat(fit.slope()).isEqualTo(2, offset(1e-12));
        assertThat(fit.intercept()).isEqualTo(10, offset(1e-12));
        assertThat(fit.r2()).isEqualTo(1, offset(1e-12));
        assertThat(fit.slopeError()).isEqualTo(0, offset(1e-9));
        assertThat(fit.at(5)).isEqualTo(20, offset(1e-9));
    }

    @Test
    void noiseGivesASlopeErrorAndALowFit() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {10, 12, 9, 11, 10, 12};
        LinearFit fit = fit(x, y, 0, 6);
        assertThat(fit.r2()).isLessThan(0.3);
        assertThat(fit.slopeError()).isGreaterThan(Math.abs(fit.slope()));
    }

    @Test
    void aRangeFitsOnlyItsPoints() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0, 0, 0, 3, 4, 5};
        LinearFit fit = fit(x, y, 3, 6);
        assertThat(fit.n()).isEqualTo(3);
        assertThat(fit.slope()).isEqualTo(1, offset(1e-12));
        assertThat(fit(x, y, 0, 3).slope()).isZero();
    }

    @Test
    void boundsWidenWithFewPointsAndAwayFromThem() {
        double[] x = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i;
            y[i] = 2 * i + (i % 2 == 0 ? 1 : -1);
        }
        LinearFit few = fit(x, y, 0, 5);
        LinearFit many = fit(x, y, 0, 40);
        assertThat(few.criticalT()).isEqualTo(4.541); // 3 degrees of freedom
        assertThat(many.criticalT()).isBetween(2.39, 2.43);
        assertThat(many.slopeLowerBound()).isLessThan(many.slope()).isGreaterThan(1.9);
        assertThat(few.slope() - few.slopeLowerBound()).isGreaterThan(many.slope() - many.slopeLowerBound());
        assertThat(many.errorAt(100)).isGreaterThan(many.errorAt(20));
        assertThat(many.lowerBoundAt(100)).isLessThan(many.at(100));
    }

    @Test
    void noFitWithoutTwoDistinctXs() {
        assertThat(fit(new double[] {1}, new double[] {1}, 0, 1)).isNull();
        assertThat(fit(new double[] {1, 1}, new double[] {1, 2}, 0, 2)).isNull();
    }

    /** The fit through points {@code from} to {@code to} of a window holding them all, x from 0. */
    private static LinearFit fit(double[] x, double[] y, int from, int to) {
        RecentWindow window = new RecentWindow();
        for (int i = 0; i < x.length; i++) {
            window.add(x[i], (long) y[i]);
        }
        return window.fit(from, to, 0);
    }
}
