package dev.nuvola.scaler.logic.recommender;

import java.util.Arrays;

/**
 * The recent samples of one value, oldest first, in a sliding array of primitives: the trend's least squares
 * and the recent peak read them in place, in plain loops. About 16 bytes a sample (300 at one sample a second
 * over five minutes); the array is compacted when its end is reached, so adding is amortised constant time.
 *
 * <p>Not thread-safe; {@link GuestRecommender} guards it.
 */
final class RecentWindow {
    private double[] times = new double[16];
    private double[] values = new double[16];
    /** The samples are at indexes {@code head} (oldest) to {@code end} (exclusive). */
    private int head;
    private int end;

    /** Appends a sample; times are expected in order. */
    void add(double atSeconds, double value) {
        if (end == times.length) {
            int size = end - head;
            if (head > 0) {
                System.arraycopy(times, head, times, 0, size);
                System.arraycopy(values, head, values, 0, size);
            }
            if (size * 2 > times.length) {
                times = Arrays.copyOf(times, times.length * 2);
                values = Arrays.copyOf(values, values.length * 2);
            }
            head = 0;
            end = size;
        }
        times[end] = atSeconds;
        values[end] = value;
        end++;
    }

    /** Forgets the samples taken before {@code cutoffSeconds}. */
    void dropBefore(double cutoffSeconds) {
        while (head < end && times[head] < cutoffSeconds) {
            head++;
        }
    }

    int size() {
        return end - head;
    }

    /** The time of the {@code k}-th sample, 0 being the oldest. */
    double time(int k) {
        return times[head + k];
    }

    double value(int k) {
        return values[head + k];
    }

    /** The largest value, or {@code otherwise} when empty. */
    double max(double otherwise) {
        if (head == end) {
            return otherwise;
        }
        double max = values[head];
        for (int i = head + 1; i < end; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    /** The least-squares line through samples {@code from} to {@code to} (exclusive), x in seconds after {@code origin}. */
    LinearFit fit(int from, int to, double origin) {
        return LinearFit.of(times, values, head + from, head + to, origin);
    }
}
