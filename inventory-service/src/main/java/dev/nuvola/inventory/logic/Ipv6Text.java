package dev.nuvola.inventory.logic;

import java.math.BigInteger;
import java.util.Locale;

/** IPv6 literals to 128-bit numbers and back (RFC 4291 text in, RFC 5952 canonical text out). */
public final class Ipv6Text {
    private Ipv6Text() {
    }

    /** Parses a literal without brackets or zone; a wrong one is an exception whose message says so. */
    public static BigInteger parse(String text) {
        String address = text.trim().toLowerCase(Locale.ROOT);
        if (address.isEmpty() || !address.matches("[0-9a-f:.]+") || !address.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
        }
        int[] groups = new int[8];
        int doubleColon = address.indexOf("::");
        if (doubleColon != address.lastIndexOf("::") || address.contains(":::")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address: '::' may appear once");
        }
        String head = doubleColon < 0 ? address : address.substring(0, doubleColon);
        String tail = doubleColon < 0 ? "" : address.substring(doubleColon + 2);
        int[] headGroups = groups(head, text, doubleColon >= 0 || tail.isEmpty());
        int[] tailGroups = groups(tail, text, true);
        int count = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? count != 8 : count > 7) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address: it needs 8 groups of hex digits");
        }
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        BigInteger value = BigInteger.ZERO;
        for (int group : groups) {
            value = value.shiftLeft(16).or(BigInteger.valueOf(group));
        }
        return value;
    }

    /** The groups of one side of '::'; an embedded IPv4 tail ("::ffff:192.0.2.1") counts as two groups. */
    private static int[] groups(String part, String text, boolean mayEndWithIpv4) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        int[] out = new int[pieces.length + 1];
        int n = 0;
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (piece.contains(".")) {
                if (i != pieces.length - 1 || !mayEndWithIpv4 || !piece.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
                }
                String[] octets = piece.split("\\.");
                int[] bytes = new int[4];
                for (int b = 0; b < 4; b++) {
                    bytes[b] = Integer.parseInt(octets[b]);
                    if (bytes[b] > 255) {
                        throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
                    }
                }
                out[n++] = bytes[0] << 8 | bytes[1];
                out[n++] = bytes[2] << 8 | bytes[3];
            } else {
                if (!piece.matches("[0-9a-f]{1,4}")) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv6 address: '" + piece
                            + "' is not a group of 1 to 4 hex digits");
                }
                out[n++] = Integer.parseInt(piece, 16);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (first of equals) of two or more zero groups as '::'. */
    public static String format(BigInteger value) {
        int[] groups = new int[8];
        for (int i = 7; i >= 0; i--) {
            groups[i] = value.intValue() & 0xffff;
            value = value.shiftRight(16);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
