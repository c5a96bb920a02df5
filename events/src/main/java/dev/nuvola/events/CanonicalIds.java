package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One String for each id seen lately, looked up by its bytes. The scaler decodes each guest's and host's id once
 * a second per guest: with the String it made last time, decoding an id allocates nothing, and every map the id
 * is then looked up in finds its hash already computed and the key it holds equal by identity, not by comparing
 * characters.
 *
 * <p>A fixed table, read and written without locks. A slot holds the last id whose hash led there, so two ids that
 * share a slot take turns, and each miss costs only the String decoding cost before. Threads racing on a slot are
 * harmless: an {@link Entry} is immutable and safely published by its final fields, and whichever is read is
 * compared byte for byte before it is used.
 */
final class CanonicalIds {
    /** Several times the ids one scaler instance sees (5,000 guests and their hosts in the benchmark). */
    private static final int SLOTS = 1 << 15;
    /** Longer strings are not ids in practice: never kept. */
    private static final int MAX_BYTES = 64;
    private static final Entry[] TABLE = new Entry[SLOTS];

    private record Entry(byte[] bytes, String id) {
    }

    private CanonicalIds() {
    }

    /** The string of the ISO-8859-1 bytes {@code in[from, to)}, the instance already made for them if there is one. */
    static String of(byte[] in, int from, int to) {
        int length = to - from;
        if (length > MAX_BYTES) {
            return new String(in, from, length, StandardCharsets.ISO_8859_1);
        }
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + in[i];
        }
        int slot = (hash ^ hash >>> 15) & (SLOTS - 1);
        Entry known = TABLE[slot];
        if (known != null && Arrays.equals(known.bytes, 0, known.bytes.length, in, from, to)) {
            return known.id;
        }
        byte[] bytes = Arrays.copyOfRange(in, from, to);
        String id = new String(bytes, StandardCharsets.ISO_8859_1);
        TABLE[slot] = new Entry(bytes, id);
        return id;
    }
}
