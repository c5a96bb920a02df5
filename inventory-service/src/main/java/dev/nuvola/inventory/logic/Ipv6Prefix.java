package dev.nuvola.inventory.logic;

import java.math.BigInteger;

/**
 * An IPv6 prefix such as {@code 2001:db8:42::/48}, parsed without any name lookup (java.net.InetAddress would
 * resolve a string that is not a literal). Guests get the addresses at offsets 1, 2, 3... of the prefix: offset 0
 * is the subnet-router anycast address (RFC 4291 2.6.1) and is never handed out.
 *
 * @param network the prefix's first address as a 128-bit number
 * @param length  the prefix length, {@value #MIN_LENGTH} to {@value #MAX_LENGTH}
 */
public record Ipv6Prefix(BigInteger network, int length) {
    /** Shorter prefixes are whole allocations of a registry, not something one site hands to its guests. */
    public static final int MIN_LENGTH = 16;
    /** At least 255 guest addresses. */
    public static final int MAX_LENGTH = 120;

    private static final BigInteger ALL_ONES = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public Ipv6Prefix {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("the prefix length must be between /" + MIN_LENGTH + " and /"
                    + MAX_LENGTH + ", got /" + length);
        }
        if (network.signum() < 0 || network.compareTo(ALL_ONES) > 0) {
            throw new IllegalArgumentException("not a 128-bit address");
        }
        if (!network.and(hostMask(length)).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException("has bits set after the first " + length + ": did you mean "
                    + Ipv6Text.format(network.andNot(hostMask(length))) + "/" + length + "?");
        }
    }

    /** Parses {@code address/length}; the message of the exception says what is wrong, for the operator. */
    public static Ipv6Prefix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a prefix is required, such as 2001:db8:42::/48");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + trimmed + "' has no prefix length: write it as address/length, "
                    + "such as 2001:db8:42::/48");
        }
        String address = trimmed.substring(0, slash);
        String lengthText = trimmed.substring(slash + 1);
        if (address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("'" + trimmed + "' is an IPv4 prefix: guests get IPv6 addresses only");
        }
        if (!lengthText.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("'" + lengthText + "' is not a prefix length");
        }
        BigInteger network = Ipv6Text.parse(address);
        try {
            return new Ipv6Prefix(network, Integer.parseInt(lengthText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + trimmed + "' " + e.getMessage(), e);
        }
    }

    /** How many addresses guests can get from this prefix (all but offset 0), capped at {@link Long#MAX_VALUE}. */
    public long capacity() {
        BigInteger size = BigInteger.ONE.shiftLeft(128 - length).subtract(BigInteger.ONE);
        return size.bitLength() >= 63 ? Long.MAX_VALUE : size.longValueExact();
    }

    /** The address at {@code offset} (1 to {@link #capacity()}), in RFC 5952 text. */
    public String addressAt(long offset) {
        if (offset < 1 || offset > capacity()) {
            throw new IllegalArgumentException("offset " + offset + " is outside 1.." + capacity() + " of " + this);
        }
        return Ipv6Text.format(network.add(BigInteger.valueOf(offset)));
    }

    public boolean contains(String address) {
        return Ipv6Text.parse(address).andNot(hostMask(length)).equals(network);
    }

    /** Prefixes either nest or are disjoint: they overlap when the shorter one contains the other's network. */
    public boolean overlaps(Ipv6Prefix other) {
        int shorter = Math.min(length, other.length);
        return network.andNot(hostMask(shorter)).equals(other.network.andNot(hostMask(shorter)));
    }

    private static BigInteger hostMask(int length) {
        return BigInteger.ONE.shiftLeft(128 - length).subtract(BigInteger.ONE);
    }

    @Override
    public String toString() {
        return Ipv6Text.format(network) + "/" + length;
    }
}
