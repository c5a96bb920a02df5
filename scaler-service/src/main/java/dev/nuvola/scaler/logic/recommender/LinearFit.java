package dev.nuvola.scaler.logic.recommender;

/**
 * An ordinary least-squares line through points {@code (x, y)}.
 *
 * @param slope     change of y per unit of x
 * @param intercept y on the line at x = 0
 * @param r2        the share of y's variance the line explains (0 to 1); 0 when y does not vary
 * @param slopeError the standard error of the slope (0 with two points or a perfect line)
 * @param n         the number of points
 * @param meanX     the mean of x
 * @param residualError the standard deviation of the points around the line (0 with two points)
 * @param sxx       the sum of squared deviations of x from its mean
 */
record LinearFit(double slope, double intercept, double r2, double slopeError, int n, double meanX,
                 double residualError, double sxx) {

    /** One-sided 99 % critical values of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T99 = {31.821, 6.965, 4.541, 3.747, 3.365, 3.143, 2.998, 2.896, 2.821, 2.764,
            2.718, 2.681, 2.650, 2.624, 2.602, 2.583, 2.567, 2.552, 2.539, 2.528, 2.518, 2.508, 2.500, 2.492, 2.485,
            2.479, 2.473, 2.467, 2.462, 2.457};

    /**
     * The fit through samples {@code from} (inclusive) to {@code to} (exclusive) of {@code window}, x in seconds
     * after {@code origin}, or null when there are fewer than two or x does not vary.
     */
    static LinearFit of(RecentWindow window, int from, int to, double origin) {
        int n = to - from;
        if (n < 2) {
            return null;
        }
        double mx = 0;
        double my = 0;
        for (int i = from; i < to; i++) {
            mx += window.time(i) - origin;
            my += window.value(i);
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = from; i < to; i++) {
            double dx = window.time(i) - origin - mx;
            double dy = window.value(i) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        return of(n, mx, my, sxx, sxy, syy);
    }

    /**
     * The fit of {@code n} points from their means and their sums of squared (and cross) deviations from them, or
     * null when there are fewer than two or x does not vary.
     */
    static LinearFit of(int n, double mx, double my, double sxx, double sxy, double syy) {
        if (n < 2 || sxx <= 0) {
            return null;
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double r2 = syy <= 0 ? 0 : Math.min(1, (sxy * sxy) / (sxx * syy));
        double residuals = Math.max(0, syy - slope * sxy);
        double residualError = n > 2 ? Math.sqrt(residuals / (n - 2)) : 0;
        double slopeError = residualError / Math.sqrt(sxx);
        return new LinearFit(slope, intercept, r2, slopeError, n, mx, residualError, sxx);
    }

    double at(double x) {
        return intercept + slope * x;
    }

    /**
     * How many standard errors make a one-sided 99 % bound with this fit's n − 2 degrees of freedom: 2.33 with
     * many points, more with few (a line through 5 noisy points proves little).
     */
    double criticalT() {
        int df = n - 2;
        if (df < 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (df <= T99.length) {
            return T99[df - 1];
        }
        return df <= 60 ? 2.423 - (df - 30) * (2.423 - 2.390) / 30 : 2.326 + 3.9 / df;
    }

    /** The slope at its one-sided 99 % lower bound. */
    double slopeLowerBound() {
        return slope - criticalT() * slopeError;
    }

    /** The line's value at {@code x} at its one-sided 99 % lower bound. */
    double lowerBoundAt(double x) {
        return at(x) - criticalT() * errorAt(x);
    }

    /** The standard error of the line's value at {@code x}: larger away from the points' middle. */
    double errorAt(double x) {
        double d = x - meanX;
        return residualError * Math.sqrt(1.0 / n + d * d / sxx);
    }
}
