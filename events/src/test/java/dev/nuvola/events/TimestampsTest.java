package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The fast path must agree with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} on every input, valid or not. */
class TimestampsTest {

    private static Object reference(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    /** What both entries say, the String one and the UTF-8 bytes one (at an offset in a larger array); they must agree. */
    private static Object fast(String text) {
        Object fromString;
        try {
            fromString = Timestamps.parse(text);
        } catch (DateTimeParseException e) {
            fromString = "refused";
        }
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] framed = new byte[utf8.length + 4];
        java.util.Arrays.fill(framed, (byte) '9');
        System.arraycopy(utf8, 0, framed, 2, utf8.length);
        Object fromBytes;
        try {
            fromBytes = Timestamps.parse(framed, 2, 2 + utf8.length);
        } catch (DateTimeParseException e) {
            fromBytes = "refused";
        }
        assertThat(fromBytes).as("bytes of " + text).isEqualTo(fromString);
        return fromString;
    }

    @Property(tries = 3000)
    void validTimestampsMeanTheSameInstant(@ForAll @LongRange(min = -62_000_000_000L, max = 250_000_000_000L) long epochSecond,
                                           @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
                                           @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours,
                                           @ForAll @IntRange(min = 0, max = 9) int fractionDigits) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 900);
        OffsetDateTime time = Instant.ofEpochSecond(epochSecond, nanos).atOffset(offset);
        String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (fractionDigits == 0 ? "" : "." + "S".repeat(fractionDigits)) + "XXX";
        String text = time.format(DateTimeFormatter.ofPattern(pattern));
        assertThat(fast(text)).as(text).isEqualTo(reference(text));
        assertThat(fast(text)).isInstanceOf(Instant.class);
    }

    @Property(tries = 5000)
    void anyMangledTimestampIsJudgedAsTheFormatterJudgesIt(@ForAll("mangled") String text) {
        assertThat(fast(text)).as(text).isEqualTo(reference(text));
    }

    /** Every date of a four-digit year, valid or not (month 0-13, day 0-32): judged as the formatter judges it. */
    @Property(tries = 5000)
    void anyDateIsJudgedAsTheFormatterJudgesIt(@ForAll @IntRange(min = 0, max = 9999) int year,
                                               @ForAll @IntRange(min = 0, max = 13) int month,
                                               @ForAll @IntRange(min = 0, max = 32) int day) {
        String text = String.format("%04d-%02d-%02dT12:34:56Z", year, month, day);
        assertThat(fast(text)).as(text).isEqualTo(reference(text));
    }

    @Test
    void leapDaysAreThoseOfTheGregorianCalendar() {
        for (String text : new String[] {"2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                "2100-02-29T00:00:00Z", "0000-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "9999-12-31T23:59:59Z"}) {
            assertThat(fast(text)).as(text).isEqualTo(reference(text));
        }
        assertThat(Timestamps.parse("2000-02-29T00:00:00Z")).isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
        assertThatThrownBy(() -> Timestamps.parse("1900-02-29T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }

    @Provide
    Arbitrary<String> mangled() {
        Arbitrary<String> base = Arbitraries.of("2026-11-26T15:00:00Z", "2026-11-26T15:00:00.123456789+05:30",
                "2024-02-29T23:59:59.5-08:00", "1999-12-31T00:00:00+18:00", "2026-11-26T15:00:00.1Z");
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x',
                '\u00e9', '\u0663');
        return base.flatMap(b -> Arbitraries.integers().between(0, b.length() - 1).flatMap(at -> chars.map(c -> {
            StringBuilder sb = new StringBuilder(b);
            int i = at;
            char ch = c;
            switch (i % 3) {
                case 0 -> sb.setCharAt(i, ch);
                case 1 -> sb.insert(i, ch);
                default -> sb.deleteCharAt(i);
            }
            return sb.toString();
        })));
    }

    @Test
    void examples() {
        assertThat(Timestamps.parse("2026-11-26T15:00:00Z")).isEqualTo(Instant.parse("2026-11-26T15:00:00Z"));
        assertThat(Timestamps.parse("2026-11-26T16:00:00.25+01:00")).isEqualTo(Instant.parse("2026-11-26T15:00:00.25Z"));
        assertThat(Timestamps.parse("2026-11-26t15:00:00z")).isEqualTo(Instant.parse("2026-11-26T15:00:00Z"));
        assertThatThrownBy(() -> Timestamps.parse("2026-02-30T15:00:00Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse("2026-11-26T24:00:00Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse("2026-11-26T15:00:00+18:30")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse("2026-11-26T15:00:00")).isInstanceOf(DateTimeParseException.class);
    }
}
