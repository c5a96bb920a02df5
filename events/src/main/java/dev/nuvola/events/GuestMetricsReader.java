package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Reads a {@link GuestMetrics} value in one pass over its bytes, without Jackson. The scaler reads tens of
 * thousands of samples a second, and databind (parser, read context, creator arguments, boxing) allocated
 * about 1.2 KB a sample, most of the scaler's garbage.
 *
 * <p>It is exact only on what it accepts, and accepts a strict subset of what {@link EventCodec}'s databind
 * path accepts: a JSON object, ASCII whitespace, plain ASCII strings for the ids and the timestamp, integer
 * tokens for the integer fields, numbers for the fractions, every known field at most once, and unknown
 * fields of any well-formed JSON shape (skipped). For anything else (escapes, non-ASCII ids, a duplicate
 * key, a null where one is not allowed, a wrong type, an overflow, a domain rule broken, malformed JSON)
 * {@link #read} returns null and the caller runs the databind path, which then accepts or refuses as it
 * always has, with its own message. So refusals are identical by construction, and only invalid or unusual
 * input pays for parsing twice.
 */
final class GuestMetricsReader {
    private static final String[] NAMES = {"guestId", "hostId", "sampledAt", "memoryAssignedMiB", "memoryUsedMiB",
            "memoryAvailableMiB", "vcpus", "cpuUsage", "balloonMiB", "memoryPressure"};
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
    /** The names all differ in length, so the length alone says which one to compare with. */
    private static final int[] FIELD_BY_LENGTH = new int[19];
    private static final int GUEST_ID = 0, HOST_ID = 1, SAMPLED_AT = 2, ASSIGNED = 3, USED = 4, AVAILABLE = 5,
            VCPUS = 6, CPU_USAGE = 7, BALLOON = 8, PRESSURE = 9;
    /** Every field but the two optional ones. */
    private static final int REQUIRED = (1 << BALLOON) - 1;
    private static final int UNKNOWN = -1;
    private static final int NOT_A_NAME = -2;

    /*
     * Limits far below Jackson's StreamReadConstraints (nesting 500+, number length 1000, name length 50000)
     * and its symbol table's collision guard (which only acts beyond about a thousand names), so that nothing
     * accepted here can be refused there by a limit.
     */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NAMES = 64;
    private static final int MAX_NAME_BYTES = 256;
    private static final int MAX_NUMBER_BYTES = 64;

    /** 10^0 to 10^22: the powers of ten a double holds exactly. */
    private static final double[] POWERS_OF_TEN = new double[23];
    private static final long[] POWERS_OF_FIVE = new long[23];

    static {
        Arrays.fill(FIELD_BY_LENGTH, UNKNOWN);
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
            if (FIELD_BY_LENGTH[NAME_BYTES[i].length] != UNKNOWN) {
                throw new ExceptionInInitializerError("two field names of " + NAMES[i].length() + " bytes");
            }
            FIELD_BY_LENGTH[NAME_BYTES[i].length] = i;
        }
        double ten = 1;
        long five = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = ten;
            POWERS_OF_FIVE[i] = five;
            ten *= 10;
            five *= 5;
        }
    }

    private final byte[] in;
    private int pos;
    private int names;
    /** Whether the string just skipped had an escape. */
    private boolean escaped;

    // The number just scanned: its extent, whether it had a fraction or an exponent.
    private int numberStart;
    private int numberEnd;
    private boolean numberIsInteger;

    private String guestId;
    private String hostId;
    private Instant sampledAt;
    private final long[] mib = new long[3];
    private int vcpus;
    private double cpuUsage;
    private Long balloonMiB;
    private Double memoryPressure;

    private GuestMetricsReader(byte[] in) {
        this.in = in;
    }

    /** The sample in {@code json}, or null when this reader does not accept it (the databind path decides). */
    static GuestMetrics read(byte[] json) {
        GuestMetricsReader reader = new GuestMetricsReader(json);
        if (!reader.readObject()) {
            return null;
        }
        try {
            return new GuestMetrics(reader.guestId, reader.hostId, reader.sampledAt, reader.mib[0], reader.mib[1],
                    reader.mib[2], reader.vcpus, reader.cpuUsage, reader.balloonMiB, reader.memoryPressure);
        } catch (InvalidEventException brokenRule) {
            // The databind path wraps a constructor's refusal its own way: let it produce the message.
            return null;
        }
    }

    /** The whole value: one object with only whitespace around it. */
    private boolean readObject() {
        skipWhitespace();
        if (next() != '{') {
            return false;
        }
        int seen = 0;
        // The field expected next: EventCodec writes them in the record's order.
        int expected = 0;
        while (true) {
            skipWhitespace();
            int field = readName(expected);
            if (field >= 0) {
                expected = field + 1;
            }
            if (field == UNKNOWN) {
                if (!skipValue(1)) {
                    return false;
                }
            } else if (field == NOT_A_NAME || (seen & 1 << field) != 0) {
                // Not a plain name, or a duplicate key: databind keeps the last value, or refuses the key once the
                // record is complete. Not worth copying.
                return false;
            } else if (readField(field)) {
                seen |= 1 << field;
            } else {
                return false;
            }
            skipWhitespace();
            int c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return false;
            }
        }
        skipWhitespace();
        return pos == in.length && (seen & REQUIRED) == REQUIRED;
    }

    /**
     * Reads {@code "name"} and the colon after it; the index of a known field, {@link #UNKNOWN}, or
     * {@link #NOT_A_NAME} (not a string, escapes, too long, too many names).
     */
    private int readName(int expected) {
        if (expected < NAMES.length && names < MAX_NAMES && isName(expected)) {
            names++;
            pos += NAME_BYTES[expected].length + 2;
            return skipColon() ? expected : NOT_A_NAME;
        }
        return readName();
    }

    /** Moves past the colon after a name, and the whitespace around it; false when there is none. */
    private boolean skipColon() {
        skipWhitespace();
        if (next() != ':') {
            return false;
        }
        skipWhitespace();
        return true;
    }

    /**
     * Whether the string at the cursor is exactly the name of {@code field}: compared in one go, where
     * {@link #readName()} scans it for escapes first. A name's bytes are letters, so a match has none.
     */
    private boolean isName(int field) {
        byte[] name = NAME_BYTES[field];
        int end = pos + 1 + name.length;
        return end < in.length && in[pos] == '"' && in[end] == '"' && Arrays.equals(in, pos + 1, end, name, 0, name.length);
    }

    private int readName() {
        int start = pos + 1;
        if (!skipString() || ++names > MAX_NAMES) {
            return NOT_A_NAME;
        }
        int end = pos - 1;
        if (end - start > MAX_NAME_BYTES || escaped) {
            // An escaped name may spell a known one ("guest\u0049d"): left to Jackson, which decodes it.
            return NOT_A_NAME;
        }
        if (!skipColon()) {
            return NOT_A_NAME;
        }
        int length = end - start;
        int field = length < FIELD_BY_LENGTH.length ? FIELD_BY_LENGTH[length] : UNKNOWN;
        return field != UNKNOWN && Arrays.equals(in, start, end, NAME_BYTES[field], 0, length) ? field : UNKNOWN;
    }

    private boolean readField(int field) {
        if (field >= BALLOON && readNull()) {
            return true; // an optional field may be null, and stays so
        }
        switch (field) {
            case GUEST_ID:
                guestId = readPlainString();
                return guestId != null;
            case HOST_ID:
                hostId = readPlainString();
                return hostId != null;
            case SAMPLED_AT:
                return readTimestamp();
            case VCPUS:
                // Nine digits always fit an int; a longer one may not, and databind refuses those.
                if (!readIntegerToken(9)) {
                    return false;
                }
                vcpus = (int) integerValue();
                return true;
            case CPU_USAGE:
            case PRESSURE:
                if (!readNumberAsDouble()) {
                    return false;
                }
                double fraction = doubleValue();
                if (field == CPU_USAGE) {
                    cpuUsage = fraction;
                } else {
                    memoryPressure = fraction;
                }
                return true;
            default: // the four MiB fields: 18 digits cannot overflow a long
                if (!readIntegerToken(18)) {
                    return false;
                }
                long value = integerValue();
                if (field == BALLOON) {
                    balloonMiB = value;
                } else {
                    mib[field - ASSIGNED] = value;
                }
                return true;
        }
    }

    /**
     * An id: a string of printable ASCII without escapes, as ids are in practice; null for anything else. The
     * instance made for the same id before, when there is one (Latin-1 is what ASCII bytes are).
     */
    private String readPlainString() {
        int start = pos + 1;
        return skipPlainString() ? CanonicalIds.of(in, start, pos - 1) : null;
    }

    /** Moves past a string of printable ASCII without escapes; false, anywhere, for anything else. */
    private boolean skipPlainString() {
        if (peek() != '"') {
            return false;
        }
        pos++;
        while (pos < in.length) {
            byte b = in[pos++];
            if (b == '"') {
                return true;
            }
            if (b < 0x20 || b > 0x7e || b == '\\') {
                return false;
            }
        }
        return false;
    }

    /** Strings only, as {@link EventCodec}'s timestamp deserializer: the same {@link Timestamps#parse}. */
    private boolean readTimestamp() {
        int start = pos + 1;
        if (!skipPlainString()) {
            return false;
        }
        try {
            sampledAt = Timestamps.parse(in, start, pos - 1);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private boolean readNull() {
        if (pos + 4 <= in.length && in[pos] == 'n' && in[pos + 1] == 'u' && in[pos + 2] == 'l' && in[pos + 3] == 'l') {
            pos += 4;
            return true;
        }
        return false;
    }

    /** An integer token of at most {@code maxDigits} digits; a float token is refused, as databind refuses it. */
    private boolean readIntegerToken(int maxDigits) {
        if (!scanNumber() || !numberIsInteger) {
            return false;
        }
        int digits = numberEnd - numberStart - (in[numberStart] == '-' ? 1 : 0);
        return digits <= maxDigits;
    }

    private long integerValue() {
        int i = numberStart;
        boolean negative = in[i] == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        for (; i < numberEnd; i++) {
            value = value * 10 + (in[i] - '0');
        }
        return negative ? -value : value;
    }

    /**
     * Any number token; but not a negative integer, as databind reads {@code -0} as 0.0, not -0.0 (and every other
     * negative is refused by the domain rules anyway).
     */
    private boolean readNumberAsDouble() {
        return scanNumber() && !(numberIsInteger && in[numberStart] == '-');
    }

    /**
     * The value {@link Double#parseDouble} gives (what Jackson uses) for the number just scanned, without making a
     * String: parseDouble is correctly rounded (JDK 17 has a known slip only for subnormals, which are never produced
     * here), so any correctly rounded conversion gives the same double. Up to 15
     * digits with a small exponent, the significand and the power of ten are exact doubles and one division or
     * multiplication rounds correctly (parseDouble's own shortcut). The fractions agents send have 16 or 17 digits
     * (a ratio printed in full), where parseDouble falls back to big-integer arithmetic costing about 450 bytes
     * and 0.4 µs a sample; {@link #roundedQuotient} handles those. Anything else goes to parseDouble.
     */
    private double doubleValue() {
        int i = numberStart;
        boolean negative = in[i] == '-';
        if (negative) {
            i++;
        }
        long significand = 0;
        int significantDigits = 0;
        int exponent = 0;
        boolean fraction = false;
        for (; i < numberEnd; i++) {
            byte b = in[i];
            if (b == '.') {
                fraction = true;
            } else if (b == 'e' || b == 'E') {
                break;
            } else {
                if (significand != 0 || b != '0') {
                    significantDigits++;
                }
                if (significantDigits > 18) {
                    return slowDouble();
                }
                significand = significand * 10 + (b - '0');
                if (fraction) {
                    exponent--;
                }
            }
        }
        if (i < numberEnd) {
            int e = i + 1;
            boolean negativeExponent = in[e] == '-';
            if (in[e] == '-' || in[e] == '+') {
                e++;
            }
            if (numberEnd - e > 3) {
                return slowDouble();
            }
            int value = 0;
            for (; e < numberEnd; e++) {
                value = value * 10 + (in[e] - '0');
            }
            exponent += negativeExponent ? -value : value;
        }
        if (exponent < -22 || exponent > 22) {
            return slowDouble();
        }
        double magnitude;
        if (significantDigits <= 15) {
            magnitude = exponent < 0 ? significand / POWERS_OF_TEN[-exponent] : significand * POWERS_OF_TEN[exponent];
        } else if (exponent >= 0 || Double.isNaN(magnitude = roundedQuotient(significand, -exponent))) {
            return slowDouble();
        }
        return negative ? -magnitude : magnitude;
    }

    /**
     * {@code w / 10^n} rounded to the nearest double (ties to even), for {@code w} of 16 to 18 digits (more than a
     * double holds exactly) and n from 1 to 22; NaN where this does not apply. The double quotient is within two
     * units in the last place; exact integer comparisons with the midpoints between it and its neighbours then
     * move it to the nearest.
     */
    static double roundedQuotient(long w, int n) {
        double candidate = w / POWERS_OF_TEN[n];
        for (int step = 0; step < 4; step++) {
            int aboveUpper = compareToUpperMidpoint(w, n, candidate);
            if (aboveUpper == NOT_COMPARABLE) {
                return Double.NaN;
            }
            if (aboveUpper > 0 || aboveUpper == 0 && isOdd(candidate)) {
                candidate = Math.nextUp(candidate);
                continue;
            }
            double below = Math.nextDown(candidate);
            int aboveLower = compareToUpperMidpoint(w, n, below);
            if (aboveLower == NOT_COMPARABLE) {
                return Double.NaN;
            }
            if (aboveLower < 0 || aboveLower == 0 && isOdd(candidate)) {
                candidate = below;
                continue;
            }
            return candidate;
        }
        return Double.NaN;
    }

    private static final int NOT_COMPARABLE = Integer.MIN_VALUE;

    /**
     * The sign of {@code w / 10^n - m}, where m is the midpoint between {@code a} and the next double up. With
     * {@code a = M·2^e} (M of 53 bits), {@code m = (2M+1)·2^(e-1)}, so the comparison is between the integers
     * {@code w·2^(1-e-n)} and {@code (2M+1)·5^n}, both below 2^128. {@link #NOT_COMPARABLE} outside the range of
     * shifts handled (never for a fraction from 0 to 1) or for a subnormal {@code a}.
     */
    private static int compareToUpperMidpoint(long w, int n, double a) {
        if (!(a >= Double.MIN_NORMAL)) {
            return NOT_COMPARABLE;
        }
        long bits = Double.doubleToRawLongBits(a);
        long m = bits & (1L << 52) - 1 | 1L << 52;
        int e = (int) (bits >>> 52) - 1075;
        int shift = 1 - e - n;
        if (shift < 0 || shift > 63) {
            return NOT_COMPARABLE;
        }
        long quotientHigh = shift == 0 ? 0 : w >>> 64 - shift;
        long quotientLow = w << shift;
        long midpointHigh = Math.multiplyHigh(2 * m + 1, POWERS_OF_FIVE[n]);
        long midpointLow = (2 * m + 1) * POWERS_OF_FIVE[n];
        int high = Long.compare(quotientHigh, midpointHigh);
        return high != 0 ? high : Long.compareUnsigned(quotientLow, midpointLow);
    }

    private static boolean isOdd(double a) {
        return (Double.doubleToRawLongBits(a) & 1) != 0;
    }

    private double slowDouble() {
        return Double.parseDouble(new String(in, numberStart, numberEnd - numberStart, StandardCharsets.ISO_8859_1));
    }

    /**
     * A JSON number as RFC 8259 and Jackson's defaults have it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}
     * (no leading zeros, no NaN), followed by whitespace, a comma, a closing bracket or the end: Jackson refuses
     * {@code 1x}, and the caller checks which separator may come.
     */
    private boolean scanNumber() {
        numberStart = pos;
        numberIsInteger = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!skipDigits()) {
            return false;
        }
        if (peek() == '.') {
            pos++;
            numberIsInteger = false;
            if (!skipDigits()) {
                return false;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            numberIsInteger = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!skipDigits()) {
                return false;
            }
        }
        numberEnd = pos;
        int after = peek();
        boolean delimited = after == -1 || after == ',' || after == '}' || after == ']' || isWhitespace(after);
        return delimited && numberEnd - numberStart <= MAX_NUMBER_BYTES;
    }

    private boolean skipDigits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos > start;
    }

    /** Skips an unknown field's value, checking that it is well-formed JSON as Jackson would (it tokenizes all of it). */
    private boolean skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        int c = peek();
        switch (c) {
            case '"':
                return skipString();
            case '{':
                return skipContainer(depth, '}', true);
            case '[':
                return skipContainer(depth, ']', false);
            case 't':
                return skipLiteral("true");
            case 'f':
                return skipLiteral("false");
            case 'n':
                return skipLiteral("null");
            default:
                return (c == '-' || c >= '0' && c <= '9') && scanNumber();
        }
    }

    private boolean skipContainer(int depth, char close, boolean object) {
        pos++;
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        while (true) {
            if (object && readName() == NOT_A_NAME) {
                return false;
            }
            if (!skipValue(depth + 1)) {
                return false;
            }
            skipWhitespace();
            int c = next();
            if (c == close) {
                return true;
            }
            if (c != ',') {
                return false;
            }
            skipWhitespace();
        }
    }

    /** Like Jackson, a literal must not run on into letters ({@code truex}). */
    private boolean skipLiteral(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if (next() != literal.charAt(i)) {
                return false;
            }
        }
        int after = peek();
        return after == -1 || after == ',' || after == '}' || after == ']' || isWhitespace(after);
    }

    /**
     * Skips a string of ASCII with only the escapes JSON defines; control characters and non-ASCII bytes are left
     * to Jackson, whose UTF-8 checks are not worth copying for an unknown field.
     */
    private boolean skipString() {
        if (next() != '"') {
            return false;
        }
        escaped = false;
        while (pos < in.length) {
            byte b = in[pos++];
            if (b == '"') {
                return true;
            }
            if (b < 0x20) {
                return false;
            }
            if (b == '\\') {
                escaped = true;
                int e = next();
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(next(), 16) < 0) {
                            return false;
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return false;
                }
            }
        }
        return false;
    }

    private void skipWhitespace() {
        // The usual case first: compact JSON, and every whitespace byte is at most ' '.
        if (pos < in.length && in[pos] > ' ') {
            return;
        }
        while (isWhitespace(peek())) {
            pos++;
        }
    }

    /** The four JSON whitespace bytes: Jackson refuses any other control character between tokens. */
    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** The byte at the cursor, or -1 at the end. */
    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private int next() {
        return pos < in.length ? in[pos++] : -1;
    }
}
