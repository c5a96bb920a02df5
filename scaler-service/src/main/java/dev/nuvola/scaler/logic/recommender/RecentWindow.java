package dev.nuvola.scaler.logic.recommender;

/**
 * The recent samples of a guest's working set, oldest first, in a ring of fixed chunks of primitives: the trend's
 * least squares and the recent peak read them in place, in plain loops. It is most of what a guest's recommender
 * keeps (300 samples at one a second over five minutes), so it is kept small: 12 bytes a sample in chunks of 32,
 * taken as the window grows. A chunk whose samples have all been dropped is kept for the next one needed, so a
 * window in its steady state allocates nothing, and a growing one never throws an array away. (A single array
 * grown by half threw away seven on the way to five minutes of samples; a fleet's guests grow together, so each
 * step came for all of them in the same second, and a long-running scaler reclaimed them with full collections.
 * Sizing the array at once to what its span would hold avoided that, but held room for five minutes of samples
 * from the first ones on, and the heap grew to take it in one burst: at 5,000 guests the scaler's RSS was 241 MiB
 * against 206 MiB with chunks.)
 * Times stay doubles, the very values the trend has always been fitted on (fewer bits would move the fit, and
 * with it a decision at a threshold); values are whole MiB and fit an int exactly ({@code GuestMetrics} refuses
 * more than 2^26 MiB), so the fit and the peak see the same doubles as before.
 *
 * <p>Not thread-safe; {@link GuestRecommender} guards it.
 */
final class RecentWindow {
    private static final int CHUNK_BITS = 5;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int OFFSET = CHUNK - 1;

    /** The chunks in use, a ring of references starting at {@code firstChunk}; unused slots are null. */
    private double[][] timeChunks = new double[2][];
    private int[][] valueChunks = new int[2][];
    private int firstChunk;
    private int chunks;
    /** The oldest sample's place in the first chunk. */
    private int head;
    private int size;
    /** The last chunk emptied by {@link #dropBefore}, for the next one {@link #add} needs. */
    private double[] spareTimes;
    private int[] spareValues;
    private int allocated;

    /** Appends a sample; times are expected in order, values from 0 to {@link Integer#MAX_VALUE}. */
    void add(double atSeconds, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a window value must be from 0 to " + Integer.MAX_VALUE + ", got "
                    + value);
        }
        int at = head + size;
        if (at >>> CHUNK_BITS == chunks) {
            addChunk();
        }
        int chunk = slot(at >>> CHUNK_BITS);
        timeChunks[chunk][at & OFFSET] = atSeconds;
        valueChunks[chunk][at & OFFSET] = (int) value;
        size++;
    }

    private void addChunk() {
        if (chunks == timeChunks.length) {
            double[][] times = new double[chunks * 2][];
            int[][] values = new int[chunks * 2][];
            for (int c = 0; c < chunks; c++) {
                times[c] = timeChunks[slot(c)];
                values[c] = valueChunks[slot(c)];
            }
            timeChunks = times;
            valueChunks = values;
            firstChunk = 0;
        }
        int chunk = slot(chunks);
        if (spareTimes != null) {
            timeChunks[chunk] = spareTimes;
            valueChunks[chunk] = spareValues;
            spareTimes = null;
            spareValues = null;
        } else {
            timeChunks[chunk] = new double[CHUNK];
            valueChunks[chunk] = new int[CHUNK];
            allocated++;
        }
        chunks++;
    }

    /** The ring slot of the {@code c}-th chunk in use, 0 being the oldest. */
    private int slot(int c) {
        int s = firstChunk + c;
        return s < timeChunks.length ? s : s - timeChunks.length;
    }

    /** Forgets the samples taken before {@code cutoffSeconds}. */
    void dropBefore(double cutoffSeconds) {
        while (size > 0 && timeChunks[firstChunk][head] < cutoffSeconds) {
            head++;
            size--;
            if (head == CHUNK) {
                spareTimes = timeChunks[firstChunk];
                spareValues = valueChunks[firstChunk];
                timeChunks[firstChunk] = null;
                valueChunks[firstChunk] = null;
                firstChunk = slot(1);
                chunks--;
                head = 0;
            }
        }
    }

    int size() {
        return size;
    }

    /** The time of the {@code k}-th sample, 0 being the oldest. */
    double time(int k) {
        int at = head + k;
        return timeChunks[slot(at >>> CHUNK_BITS)][at & OFFSET];
    }

    double value(int k) {
        int at = head + k;
        return valueChunks[slot(at >>> CHUNK_BITS)][at & OFFSET];
    }

    /** The largest value, or {@code otherwise} when empty. */
    double max(double otherwise) {
        if (size == 0) {
            return otherwise;
        }
        double max = 0; // values are never negative
        for (int k = 0; k < size; k++) {
            max = Math.max(max, value(k));
        }
        return max;
    }

    /** The least-squares line through samples {@code from} to {@code to} (exclusive), x in seconds after {@code origin}. */
    LinearFit fit(int from, int to, double origin) {
        return LinearFit.of(this, from, to, origin);
    }

    /** How many samples the chunks in use have room for. */
    int capacity() {
        return chunks * CHUNK;
    }

    /** How many chunks it has allocated in all (each used chunk is reused once emptied). */
    int chunksAllocated() {
        return allocated;
    }
}
