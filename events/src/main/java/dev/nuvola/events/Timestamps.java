package dev.nuvola.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps, as every event and every {@code ce_time} header carries them. {@link DateTimeFormatter}
 * takes about 2 µs a timestamp, which at hundreds of thousands of samples a second was a quarter of the
 * scaler's decoding time. The common shape, {@code 2026-11-26T15:00:00[.fraction](Z|+hh:mm)}, is read here
 * directly; anything else goes to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, so what is accepted and
 * what it means is exactly what that formatter says.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** @throws DateTimeParseException if {@code text} is not an ISO-8601 date-time with an offset */
    public static Instant parse(String text) {
        // One byte a char: a char beyond Latin-1 becomes '?', which the common shape never has, so it goes slow too.
        Instant fast = parseCommonShape(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length());
        return fast != null ? fast : slow(text);
    }

    /**
     * The same for the UTF-8 text in {@code utf8[from, to)}, without making a String of it unless it is not in the
     * common shape: a header's value, a JSON string's bytes.
     *
     * @throws DateTimeParseException if the text is not an ISO-8601 date-time with an offset
     */
    public static Instant parse(byte[] utf8, int from, int to) {
        Instant fast = parseCommonShape(utf8, from, to);
        return fast != null ? fast : slow(new String(utf8, from, to - from, StandardCharsets.UTF_8));
    }

    private static Instant slow(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /**
     * null when {@code s[from, to)} is not in the common shape, or not a valid date (the slow path then says why).
     * Bytes, not chars: a multi-byte UTF-8 sequence is never a digit or a separator, so it is never in the shape.
     */
    private static Instant parseCommonShape(byte[] s, int from, int to) {
        int n = to - from;
        if (n < 20 || s[from + 4] != '-' || s[from + 7] != '-' || s[from + 10] != 'T' || s[from + 13] != ':'
                || s[from + 16] != ':') {
            return null;
        }
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = digits(s, from + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = from + 19;
        int nanos = 0;
        if (s[i] == '.') {
            int start = ++i;
            while (i < to && i - start < 9 && isDigit(s[i])) {
                nanos = nanos * 10 + (s[i++] - '0');
            }
            if (i == start || (i < to && isDigit(s[i]))) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == to - 1 && s[i] == 'Z') {
            offsetSeconds = 0;
        } else if (i == to - 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || om > 59 || oh * 60 + om > 18 * 60) {
                return null;
            }
            offsetSeconds = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400 + hour * 3600L + minute * 60L + second
                - offsetSeconds, nanos);
    }

    private static final int[] DAYS_IN_MONTH = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** {@code LocalDate.of(0, 1, 1).toEpochDay()}, negated. */
    private static final long DAYS_0000_TO_1970 = 719_528;

    private static int daysIn(int year, int month) {
        return month == 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month];
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /**
     * {@link LocalDate#toEpochDay}'s arithmetic for a year from 0 to 9999, without making the LocalDate (an
     * object a timestamp, two a sample).
     */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400
                + (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= isLeap(year) ? 1 : 2;
        }
        return total - DAYS_0000_TO_1970;
    }

    private static int digits(byte[] s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            byte c = s[i];
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
