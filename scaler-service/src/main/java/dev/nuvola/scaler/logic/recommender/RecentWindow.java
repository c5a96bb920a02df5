package dev.nuvola.scaler.logic.recommender;

/**
 * The recent samples of a guest's working set, oldest first, in a ring of primitives: the trend's least squares
 * and the recent peak read them in place, in plain loops. It is most of what a guest's recommender keeps (300
 * samples at one a second over five minutes), so it is kept small: 12 bytes a sample, and a capacity that grows
 * when full and is then reused, where a sliding array needed room for twice the samples to stay cheap. The first
 * time it fills, it grows at once to what its span will hold at the rate the samples came so far (plus a tenth):
 * growing by half each time threw away seven arrays on the way to five minutes of samples, and since a fleet's
 * guests start together, each step came for all of them in the same second, a burst of old arrays that a
 * long-running scaler then had to reclaim with a full collection. Later growths, if the rate rises, are by half.
 * Times stay doubles, the very values the trend has always been fitted on (fewer bits would move the fit, and
 * with it a decision at a threshold); values are whole MiB and fit an int exactly ({@code GuestMetrics} refuses
 * more than 2^26 MiB), so the fit and the peak see the same doubles as before.
 *
 * <p>Not thread-safe; {@link GuestRecommender} guards it.
 */
final class RecentWindow {
    private static final int INITIAL_CAPACITY = 16;
    /**
     * The most a prediction grows it to (48 KiB): samples closer together than the span allows for (an agent
     * with a broken clock) would otherwise claim room for thousands; past it, it grows by half like any window.
     */
    private static final int LARGEST_PREDICTED = 4_096;

    /** How far back the samples reach ({@link #dropBefore} is called with the newest time minus it), or infinite. */
    private final double spanSeconds;
    private double[] times = new double[INITIAL_CAPACITY];
    private int[] values = new int[INITIAL_CAPACITY];
    /** The oldest sample's index; the samples run from there for {@code size}, wrapping at the arrays' end. */
    private int head;
    private int size;

    /** A window whose capacity grows by half each time it is full. */
    RecentWindow() {
        this(Double.POSITIVE_INFINITY);
    }

    /** A window that keeps about {@code spanSeconds} of samples, so it can size itself to them. */
    RecentWindow(double spanSeconds) {
        if (!(spanSeconds > 0)) {
            throw new IllegalArgumentException("spanSeconds must be positive, got " + spanSeconds);
        }
        this.spanSeconds = spanSeconds;
    }

    /** Appends a sample; times are expected in order, values from 0 to {@link Integer#MAX_VALUE}. */
    void add(double atSeconds, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a window value must be from 0 to " + Integer.MAX_VALUE + ", got "
                    + value);
        }
        if (size == times.length) {
            grow();
        }
        int at = index(size);
        times[at] = atSeconds;
        values[at] = (int) value;
        size++;
    }

    /**
     * Half as large again, or on the first growth what the span holds at the rate seen so far if that is more; the
     * samples unwrapped to start at 0.
     */
    private void grow() {
        int capacity = times.length + times.length / 2;
        if (times.length == INITIAL_CAPACITY && Double.isFinite(spanSeconds)) {
            double elapsed = time(size - 1) - time(0);
            if (elapsed > 0) {
                double predicted = (size - 1) / elapsed * spanSeconds * 1.1 + 2;
                capacity = (int) Math.max(capacity, Math.min(predicted, LARGEST_PREDICTED));
            }
        }
        double[] t = new double[capacity];
        int[] v = new int[capacity];
        int first = Math.min(size, times.length - head);
        System.arraycopy(times, head, t, 0, first);
        System.arraycopy(times, 0, t, first, size - first);
        System.arraycopy(values, head, v, 0, first);
        System.arraycopy(values, 0, v, first, size - first);
        times = t;
        values = v;
        head = 0;
    }

    /** The array index of the {@code k}-th sample, 0 being the oldest. */
    private int index(int k) {
        int i = head + k;
        return i < times.length ? i : i - times.length;
    }

    /** Forgets the samples taken before {@code cutoffSeconds}. */
    void dropBefore(double cutoffSeconds) {
        while (size > 0 && times[head] < cutoffSeconds) {
            head = index(1);
            size--;
        }
    }

    int size() {
        return size;
    }

    /** The time of the {@code k}-th sample, 0 being the oldest. */
    double time(int k) {
        return times[index(k)];
    }

    double value(int k) {
        return values[index(k)];
    }

    /** The largest value, or {@code otherwise} when empty. */
    double max(double otherwise) {
        if (size == 0) {
            return otherwise;
        }
        int max = values[head];
        for (int k = 1; k < size; k++) {
            max = Math.max(max, values[index(k)]);
        }
        return max;
    }

    /** The least-squares line through samples {@code from} to {@code to} (exclusive), x in seconds after {@code origin}. */
    LinearFit fit(int from, int to, double origin) {
        return LinearFit.of(this, from, to, origin);
    }

    /** How many samples it has room for. */
    int capacity() {
        return times.length;
    }
}
