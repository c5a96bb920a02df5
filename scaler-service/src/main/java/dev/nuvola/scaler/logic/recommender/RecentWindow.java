package dev.nuvola.scaler.logic.recommender;

/**
 * The recent samples of one value, oldest first, in a ring of primitives: the trend's least squares and the
 * recent peak read them in place. About 16 bytes a sample (300 at one sample a second over five minutes).
 *
 * <p>Not thread-safe; {@link GuestRecommender} guards it.
 */
final class RecentWindow {
    private double[] times = new double[16];
    private double[] values = new double[16];
    private int head;
    private int size;

    /** Appends a sample; times are expected in order. */
    void add(double atSeconds, double value) {
        if (size == times.length) {
            double[] t = new double[times.length * 2];
            double[] v = new double[times.length * 2];
            for (int k = 0; k < size; k++) {
                t[k] = time(k);
                v[k] = value(k);
            }
            times = t;
            values = v;
            head = 0;
        }
        int i = (head + size) % times.length;
        times[i] = atSeconds;
        values[i] = value;
        size++;
    }

    /** Forgets the samples taken before {@code cutoffSeconds}. */
    void dropBefore(double cutoffSeconds) {
        while (size > 0 && times[head] < cutoffSeconds) {
            head = (head + 1) % times.length;
            size--;
        }
    }

    int size() {
        return size;
    }

    /** The time of the {@code k}-th sample, 0 being the oldest. */
    double time(int k) {
        return times[(head + k) % times.length];
    }

    double value(int k) {
        return values[(head + k) % values.length];
    }

    /** The largest value, or {@code otherwise} when empty. */
    double max(double otherwise) {
        double max = size == 0 ? otherwise : Double.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
            max = Math.max(max, value(k));
        }
        return max;
    }

    /** The least-squares line through samples {@code from} to {@code to} (exclusive), x in seconds after {@code origin}. */
    LinearFit fit(int from, int to, double origin) {
        return LinearFit.of(k -> time(k) - origin, this::value, from, to);
    }
}
