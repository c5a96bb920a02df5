package dev.nuvola.scaler.logic.recommender;

import java.util.function.IntToDoubleFunction;

/**
 * An ordinary least-squares line through points {@code (x, y)}.
 *
 * @param slope     change of y per unit of x
 * @param intercept y on the line at x = 0
 * @param r2        the share of y's variance the line explains (0 to 1); 0 when y does not vary
 * @param slopeError the standard error of the slope (0 with two points or a perfect line)
 * @param n         the number of points
 */
record LinearFit(double slope, double intercept, double r2, double slopeError, int n) {

    /** The fit through the first {@code n} points, or null when there are fewer than two or x does not vary. */
    static LinearFit of(double[] x, double[] y, int n) {
        return of(x, y, 0, n);
    }

    /** The fit through points {@code from} (inclusive) to {@code to} (exclusive), or null as above. */
    static LinearFit of(double[] x, double[] y, int from, int to) {
        return of(i -> x[i], i -> y[i], from, to);
    }

    /** The fit through the points {@code (x(i), y(i))} for i from {@code from} to {@code to} (exclusive). */
    static LinearFit of(IntToDoubleFunction x, IntToDoubleFunction y, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return null;
        }
        double mx = 0;
        double my = 0;
        for (int i = from; i < to; i++) {
            mx += x.applyAsDouble(i);
            my += y.applyAsDouble(i);
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = from; i < to; i++) {
            double dx = x.applyAsDouble(i) - mx;
            double dy = y.applyAsDouble(i) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx <= 0) {
            return null;
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double r2 = syy <= 0 ? 0 : Math.min(1, (sxy * sxy) / (sxx * syy));
        double residuals = Math.max(0, syy - slope * sxy);
        double slopeError = n > 2 ? Math.sqrt(residuals / (n - 2) / sxx) : 0;
        return new LinearFit(slope, intercept, r2, slopeError, n);
    }

    double at(double x) {
        return intercept + slope * x;
    }
}
