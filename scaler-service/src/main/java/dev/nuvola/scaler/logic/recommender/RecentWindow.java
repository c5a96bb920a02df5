package dev.nuvola.scaler.logic.recommender;

/**
 * The recent samples of a guest's working set, oldest first, in a ring of fixed chunks of primitives: the trend's
 * least squares and the recent peak read them in place, in plain loops. It is most of what a guest's recommender
 * keeps (300 samples at one a second over five minutes), so it is kept small: 8 bytes a sample in chunks of 32,
 * taken as the window grows. A chunk whose samples have all been dropped is kept for the next one needed, so a
 * window in its steady state allocates nothing, and a growing one never throws an array away. (A single array
 * grown by half threw away seven on the way to five minutes of samples; a fleet's guests grow together, so each
 * step came for all of them in the same second, and a long-running scaler reclaimed them with full collections.
 * Sizing the array at once to what its span would hold avoided that, but held room for five minutes of samples
 * from the first ones on, and the heap grew to take it in one burst: at 5,000 guests the scaler's RSS was 241 MiB
 * against 206 MiB with chunks.)
 * Times are kept to the millisecond, as ints after an origin that moves every 12 days or so: as doubles they took
 * 8 bytes, 6 MB of the scaler's live heap at 5,000 guests, for digits below the millisecond that move a fit over
 * minutes by nothing a decision can tell. Values are whole MiB and fit an int exactly ({@code GuestMetrics} refuses
 * more than 2^26 MiB).
 * <p>
 * Every sample is checked against the trend and the peak of the whole window, so both are kept up to date as
 * samples come and go instead of read from all of them each time: running sums for the least squares, and the
 * peak until the last sample holding it leaves. Read in full, a five-minute window was 300 samples in chunks spread
 * over the heap for every sample of every guest: at 5,000 guests, 18 MB streamed from memory a second, and a
 * quarter of the scaler's input thread (JFR, a backlog of 1.5 million samples, five minutes per guest). The sums
 * are kept of times and values less those of the oldest sample, and summed again from the samples each time a
 * chunk empties (every 32 samples dropped) and each time the last sample at the peak leaves, so that rounding
 * neither builds up nor cancels out the fit: the values' sums stay whole numbers, exact in a long and (below 2^53)
 * in a double, and what rounding leaves of a dropped value is never of a value larger than the window's peak (a
 * spike long gone once left 2e-6 in the R² of three samples of 12 and 13 MiB). A fit from the sums can differ from
 * the two-pass one in the last bits; the halves the trend also checks are rare and still fitted in two passes.
 *
 * <p>Not thread-safe; {@link GuestRecommender} guards it.
 */
final class RecentWindow {
    private static final int CHUNK_BITS = 5;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int OFFSET = CHUNK - 1;
    /** About 12 days: a later sample moves the origin to the oldest one kept. */
    static final long REBASE_AFTER_MILLIS = 1L << 30;

    /** The chunks in use, a ring of references starting at {@code firstChunk}; unused slots are null. */
    private int[][] timeChunks = new int[2][];
    private int[][] valueChunks = new int[2][];
    private int firstChunk;
    private int chunks;
    /** The oldest sample's place in the first chunk. */
    private int head;
    private int size;
    /** The last chunk emptied by {@link #dropBefore}, for the next one {@link #add} needs. */
    private int[] spareTimes;
    private int[] spareValues;
    private int allocated;
    /** Stored times are milliseconds after this one (epoch milliseconds). */
    private long originMillis;

    /** What the sums are taken from: x = time − timeBase, y = value − valueBase. */
    private double timeBase;
    private long valueBase;
    private double sumX;
    private double sumXX;
    private double sumXY;
    private long sumY;
    private double sumYY;
    /** The largest value (found again, with the sums, when the last sample holding it leaves). */
    private long peak;
    /**
     * How many samples hold the peak. A guest whose use does not move has every sample at its peak: summing the
     * window again whenever one of them left read the whole window for every sample.
     */
    private int peakSamples;
    /** How many times the sums were taken again from the samples. */
    private int resums;

    /**
     * Appends a sample; times are expected in order and within 24 days of the oldest sample kept, values from 0 to
     * {@link Integer#MAX_VALUE}.
     */
    void add(double atSeconds, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a window value must be from 0 to " + Integer.MAX_VALUE + ", got "
                    + value);
        }
        long millis = Math.round(atSeconds * 1000);
        if (size > 0 && millis - (originMillis + timeChunks[firstChunk][head]) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a window spans at most 24 days: drop the samples before "
                    + atSeconds + " minus its span first");
        }
        if (size == 0) {
            originMillis = millis;
        } else if (millis - originMillis > REBASE_AFTER_MILLIS) {
            rebase();
        }
        int at = head + size;
        if (at >>> CHUNK_BITS == chunks) {
            addChunk();
        }
        int chunk = slot(at >>> CHUNK_BITS);
        timeChunks[chunk][at & OFFSET] = (int) (millis - originMillis);
        valueChunks[chunk][at & OFFSET] = (int) value;
        double time = seconds(millis - originMillis);
        if (size == 0) {
            resum();
            timeBase = time;
            valueBase = value;
            peak = value;
            peakSamples = 1;
        } else {
            countTowardsPeak(value);
        }
        size++;
        sum(time, value, 1);
    }

    /** A time kept as {@code offset} milliseconds after the origin, in seconds. */
    private double seconds(long offset) {
        return (originMillis + offset) / 1000.0;
    }

    /** Moves the origin to the oldest sample, so that offsets stay far from an int's limits. */
    private void rebase() {
        int shift = timeChunks[firstChunk][head];
        for (int k = 0; k < size; k++) {
            int at = head + k;
            timeChunks[slot(at >>> CHUNK_BITS)][at & OFFSET] -= shift;
        }
        originMillis += shift;
    }

    /** Adds ({@code sign} 1) or takes away (−1) one sample's share of the sums. */
    private void sum(double atSeconds, long value, int sign) {
        double x = atSeconds - timeBase;
        long y = value - valueBase;
        sumX += sign * x;
        sumXX += sign * x * x;
        sumXY += sign * x * y;
        sumY += sign * y;
        sumYY += sign * (double) (y * y);
    }

    /** Sums the samples again, from the oldest one's time and value. */
    private void resum() {
        resums++;
        sumX = sumXX = sumXY = sumYY = 0;
        sumY = 0;
        if (size == 0) {
            return;
        }
        timeBase = time(0);
        valueBase = valueChunks[firstChunk][head];
        peak = 0; // values are never negative
        peakSamples = 0;
        for (int k = 0; k < size; k++) {
            long value = (long) value(k);
            sum(time(k), value, 1);
            countTowardsPeak(value);
        }
    }

    /** A value joining those the peak and its count were taken from. */
    private void countTowardsPeak(long value) {
        if (value > peak) {
            peak = value;
            peakSamples = 1;
        } else if (value == peak) {
            peakSamples++;
        }
    }

    private void addChunk() {
        if (chunks == timeChunks.length) {
            int[][] times = new int[chunks * 2][];
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
            timeChunks[chunk] = new int[CHUNK];
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
        boolean resum = false;
        while (size > 0) {
            double time = seconds(timeChunks[firstChunk][head]);
            if (time >= cutoffSeconds) {
                break;
            }
            int value = valueChunks[firstChunk][head];
            sum(time, value, -1);
            if (value == peak && --peakSamples == 0) {
                resum = true;
            }
            head++;
            size--;
            if (head == CHUNK) {
                resum = true;
                spareTimes = timeChunks[firstChunk];
                spareValues = valueChunks[firstChunk];
                timeChunks[firstChunk] = null;
                valueChunks[firstChunk] = null;
                firstChunk = slot(1);
                chunks--;
                head = 0;
            }
        }
        if (resum) {
            resum();
        }
    }

    int size() {
        return size;
    }

    /** The time of the {@code k}-th sample, 0 being the oldest. */
    double time(int k) {
        int at = head + k;
        return seconds(timeChunks[slot(at >>> CHUNK_BITS)][at & OFFSET]);
    }

    double value(int k) {
        int at = head + k;
        return valueChunks[slot(at >>> CHUNK_BITS)][at & OFFSET];
    }

    /** The largest value, or {@code otherwise} when empty. */
    double max(double otherwise) {
        return size == 0 ? otherwise : peak;
    }

    /** The least-squares line through samples {@code from} to {@code to} (exclusive), x in seconds after {@code origin}. */
    LinearFit fit(int from, int to, double origin) {
        return LinearFit.of(this, from, to, origin);
    }

    /**
     * The least-squares line through all the samples, x in seconds after {@code origin}, from the running sums; null
     * when there are fewer than two or x does not vary.
     */
    LinearFit fitAll(double origin) {
        double meanX = sumX / size;
        double meanY = (double) sumY / size;
        return LinearFit.of(size, (timeBase - origin) + meanX, valueBase + meanY,
                sumXX - sumX * meanX, sumXY - sumX * meanY, sumYY - sumY * meanY);
    }

    /** How many samples the chunks in use have room for. */
    int capacity() {
        return chunks * CHUNK;
    }

    /** How many times the sums were taken again from all the samples. */
    int resums() {
        return resums;
    }

    /** How many chunks it has allocated in all (each used chunk is reused once emptied). */
    int chunksAllocated() {
        return allocated;
    }
}
