package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One String for each id seen lately, looked up by its bytes. The scaler decodes each guest's and host's id once
 * a second per guest: with the String it made last time, decoding an id allocates nothing, and every map the id
 * is then looked up in (keyed by {@link #of(String)}) finds its hash already computed and the key it holds equal
 * by identity, not by comparing characters.
 *
 * <p>A fixed table, read and written without locks. An id has four slots in a row; when all four hold others, it
 * takes the place of one of them, so ids that outnumber their slots take turns, and each miss costs only the
 * String decoding cost before. Threads racing on a slot are harmless: an {@link Entry} is immutable and safely
 * published by its final fields, and whichever is read is compared byte for byte before it is used.
 */
public final class CanonicalIds {
    /** Several times the ids one scaler instance sees (5,000 guests and their hosts in the benchmark). */
    private static final int SLOT_BITS = 15;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int WAYS = 4;
    /** Longer strings are not ids in practice: never kept. */
    private static final int MAX_BYTES = 64;
    private static final Entry[] TABLE = new Entry[SLOTS];

    private record Entry(int hash, byte[] bytes, String id) {
    }

    private CanonicalIds() {
    }

    /** The instance kept for {@code id}'s characters, {@code id} itself when it is the first or not Latin-1. */
    public static String of(String id) {
        if (id.length() > MAX_BYTES) {
            return id;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) > 0xff) {
                return id; // not one a sample's reader keeps either: those read only ASCII ids
            }
        }
        byte[] bytes = id.getBytes(StandardCharsets.ISO_8859_1);
        return of(bytes, 0, bytes.length, id);
    }

    /** The string of the ISO-8859-1 bytes {@code in[from, to)}, the instance already made for them if there is one. */
    static String of(byte[] in, int from, int to) {
        return of(in, from, to, null);
    }

    private static String of(byte[] in, int from, int to, String made) {
        int length = to - from;
        if (length > MAX_BYTES) {
            return new String(in, from, length, StandardCharsets.ISO_8859_1);
        }
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + in[i];
        }
        // Ids like a fleet's differ in their last characters, and String's hash of them in its low bits, by little:
        // Fibonacci hashing spreads such runs over the table, where the low bits alone piled them up.
        int first = (hash * 0x9E3779B9) >>> (32 - SLOT_BITS);
        int free = -1;
        for (int way = 0; way < WAYS; way++) {
            int slot = (first + way) & (SLOTS - 1);
            Entry known = TABLE[slot];
            if (known == null) {
                free = free < 0 ? slot : free;
            } else if (known.hash == hash && Arrays.equals(known.bytes, 0, known.bytes.length, in, from, to)) {
                return known.id;
            }
        }
        byte[] bytes = Arrays.copyOfRange(in, from, to);
        String id = made != null ? made : new String(bytes, StandardCharsets.ISO_8859_1);
        // All four taken: the hash's two high bits pick the one that gives way.
        TABLE[free >= 0 ? free : (first + (hash >>> 30)) & (SLOTS - 1)] = new Entry(hash, bytes, id);
        return id;
    }
}
