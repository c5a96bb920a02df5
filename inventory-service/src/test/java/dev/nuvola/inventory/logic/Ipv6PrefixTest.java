package dev.nuvola.inventory.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class Ipv6PrefixTest {

    @Test
    void parsesAndPrintsCanonically() {
        assertThat(Ipv6Prefix.parse("2001:DB8:0042:0::/48").toString()).isEqualTo("2001:db8:42::/48");
        assertThat(Ipv6Prefix.parse(" fd00::/64 ").addressAt(1)).isEqualTo("fd00::1");
        assertThat(Ipv6Prefix.parse("2001:db8::/120").capacity()).isEqualTo(255);
        assertThat(Ipv6Text.format(Ipv6Text.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Ipv6Text.format(Ipv6Text.parse("::ffff:192.0.2.1"))).isEqualTo("::ffff:c000:201");
        assertThat(Ipv6Text.format(BigInteger.ZERO)).isEqualTo("::");
    }

    @Test
    void refusesWhatIsNotAnIpv6PrefixSayingWhy() {
        assertThatThrownBy(() -> Ipv6Prefix.parse("192.0.2.0/24")).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::")).hasMessageContaining("no prefix length");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::1/64")).hasMessageContaining("did you mean 2001:db8::/64");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::/8")).hasMessageContaining("between /16 and /120");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::/128")).hasMessageContaining("between /16 and /120");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8:::/48")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> Ipv6Prefix.parse("example.org/48")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> Ipv6Prefix.parse("1:2:3:4:5:6:7:8:9/64")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::/x")).hasMessageContaining("not a prefix length");
        assertThatThrownBy(() -> Ipv6Prefix.parse("")).hasMessageContaining("required");
    }

    @Test
    void nestedPrefixesOverlapAndNeighboursDoNot() {
        Ipv6Prefix site = Ipv6Prefix.parse("2001:db8::/32");
        assertThat(site.overlaps(Ipv6Prefix.parse("2001:db8:1::/48"))).isTrue();
        assertThat(Ipv6Prefix.parse("2001:db8:1::/48").overlaps(site)).isTrue();
        assertThat(site.overlaps(Ipv6Prefix.parse("2001:db9::/32"))).isFalse();
    }

    /** The text form agrees with the JDK's own parser (on literals only: no lookup happens for those). */
    @Property(tries = 500)
    void formatParsesBackAndAgreesWithTheJdk(@ForAll("addresses") BigInteger value) throws Exception {
        String text = Ipv6Text.format(value);
        assertThat(Ipv6Text.parse(text)).isEqualTo(value);
        byte[] jdk = InetAddress.getByName(text).getAddress();
        // The JDK turns IPv4-mapped addresses (::ffff:0:0/96) into 4-byte IPv4 ones.
        BigInteger expected = jdk.length == 4 ? new BigInteger(1, jdk).or(BigInteger.valueOf(0xffffL << 32)) : value;
        assertThat(new BigInteger(1, jdk).or(jdk.length == 4 ? BigInteger.valueOf(0xffffL << 32) : BigInteger.ZERO))
                .isEqualTo(value).isEqualTo(expected);
        assertThat(text).doesNotContain(":::").isLowerCase();
    }

    @Property(tries = 300)
    void addressesAreInsideTheirPrefixAndDistinct(@ForAll("addresses") BigInteger anyAddress,
                                                  @ForAll @IntRange(min = 16, max = 120) int length,
                                                  @ForAll @LongRange(min = 1, max = 200) long first) {
        BigInteger mask = BigInteger.ONE.shiftLeft(128 - length).subtract(BigInteger.ONE);
        Ipv6Prefix prefix = new Ipv6Prefix(anyAddress.andNot(mask), length);
        Set<String> seen = new HashSet<>();
        for (long offset = first; offset < first + 50 && offset <= prefix.capacity(); offset++) {
            String address = prefix.addressAt(offset);
            assertThat(prefix.contains(address)).isTrue();
            assertThat(seen.add(address)).isTrue();
        }
    }

    @Property(tries = 300)
    void overlapIsSymmetricAndMeansSharedAddresses(@ForAll("addresses") BigInteger a, @ForAll("addresses") BigInteger b,
                                                  @ForAll @IntRange(min = 16, max = 120) int la,
                                                  @ForAll @IntRange(min = 16, max = 120) int lb) {
        Ipv6Prefix p = new Ipv6Prefix(a.andNot(BigInteger.ONE.shiftLeft(128 - la).subtract(BigInteger.ONE)), la);
        Ipv6Prefix q = new Ipv6Prefix(b.andNot(BigInteger.ONE.shiftLeft(128 - lb).subtract(BigInteger.ONE)), lb);
        assertThat(p.overlaps(q)).isEqualTo(q.overlaps(p));
        Ipv6Prefix longer = la >= lb ? p : q;
        Ipv6Prefix shorter = la >= lb ? q : p;
        assertThat(p.overlaps(q)).isEqualTo(shorter.contains(longer.addressAt(1)));
    }

    @Provide
    Arbitrary<BigInteger> addresses() {
        // Sparse values (many zero groups) exercise the '::' rules more than uniform 128-bit numbers would.
        Arbitrary<Integer> group = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 0xffff));
        return group.list().ofSize(8).map(groups -> {
            BigInteger value = BigInteger.ZERO;
            for (int g : groups) {
                value = value.shiftLeft(16).or(BigInteger.valueOf(g));
            }
            return value;
        });
    }
}
