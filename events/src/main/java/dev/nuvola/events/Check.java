package dev.nuvola.events;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Unit and range checks used by the records' constructors. Memory travels in MiB as integers: a
 * value beyond {@link #MAX_MIB} is almost always bytes or KiB sent by mistake, and is refused.
 */
public final class Check {
    /** 64 TiB in MiB: larger than any single host today. */
    public static final long MAX_MIB = 64L * 1024 * 1024;
    public static final int MAX_VCPUS = 4096;

    private Check() {
    }

    public static String id(String field, String value) {
        // Most ids start with a char no whitespace is (isBlank's is Character.isWhitespace, all of whose chars above
        // the space are from U+1680 on): the full scan, in the scaler twice a sample, only for the others.
        if (value == null || value.isEmpty() || !(value.charAt(0) > ' ' && value.charAt(0) < '\u1680')
                && value.isBlank()) {
            throw new InvalidEventException(field, "is required and must not be blank");
        }
        if (value.length() > 255) {
            throw new InvalidEventException(field, "is longer than 255 characters");
        }
        return value;
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidEventException(field, "is required");
        }
        return value;
    }

    /**
     * An IP address literal without brackets: IPv6 (e.g. 2001:db8::1, an optional %zone allowed) or, for
     * IPv4-only sites, IPv4. Host names are refused: the address is used as it is, with no lookup.
     */
    public static String ipLiteral(String field, String value) {
        id(field, value);
        String address = value.contains("%") ? value.substring(0, value.indexOf('%')) : value;
        boolean v6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
        boolean v4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        try {
            if ((v6 || v4) && InetAddress.getByName(address) != null) {
                return value;
            }
        } catch (UnknownHostException e) {
            // Falls through to the refusal below: a malformed literal.
        }
        throw new InvalidEventException(field, "must be an IP address literal without brackets, such as 2001:db8::1, got '"
                + value + "'");
    }

    public static long mib(String field, long value) {
        if (value < 0) {
            throw new InvalidEventException(field, "must be a non-negative number of MiB, got " + value);
        }
        if (value > MAX_MIB) {
            throw new InvalidEventException(field, "must be in MiB; " + value
                    + " is more than 64 TiB, which looks like bytes or KiB");
        }
        return value;
    }

    public static Long optionalMib(String field, Long value) {
        return value == null ? null : mib(field, value);
    }

    public static int vcpus(String field, int value) {
        if (value < 0 || value > MAX_VCPUS) {
            throw new InvalidEventException(field, "must be a vCPU count from 0 to " + MAX_VCPUS + ", got " + value);
        }
        return value;
    }

    public static Integer optionalVcpus(String field, Integer value) {
        return value == null ? null : vcpus(field, value);
    }

    /** A fraction such as CPU usage of the assigned vCPUs: 0.0 to 1.0, not a percentage. */
    public static double fraction(String field, double value) {
        if (Double.isNaN(value) || value < 0.0 || value > 1.0) {
            throw new InvalidEventException(field, "must be a fraction from 0.0 to 1.0 (not a percentage), got " + value);
        }
        return value;
    }

    public static Double optionalFraction(String field, Double value) {
        return value == null ? null : fraction(field, value);
    }
}
