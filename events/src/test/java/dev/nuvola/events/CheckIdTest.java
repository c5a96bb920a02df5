package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Check#id} refuses exactly the blank ids, whatever char they start with. */
class CheckIdTest {

    @Property(tries = 5000)
    void refusesExactlyWhatIsBlank(@ForAll("ids") String id) {
        if (id.isBlank()) {
            assertThatThrownBy(() -> Check.id("guestId", id)).isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("must not be blank");
        } else {
            assertThat(Check.id("guestId", id)).isSameAs(id);
        }
    }

    /** Every whitespace char of Character.isWhitespace, the chars next to them, and plain ones, in short strings. */
    @Provide
    Arbitrary<String> ids() {
        Arbitrary<Character> edges = Arbitraries.of(' ', '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001f', '!',
                '\u0085', '\u00a0', '\u1680', '\u167f', '\u2000', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f',
                '\u205f', '\u3000', '\u3001', 'a', '-', '\u00e9');
        return Arbitraries.oneOf(edges, Arbitraries.chars()).list().ofMinSize(1).ofMaxSize(4)
                .map(cs -> cs.stream().map(String::valueOf).reduce("", String::concat));
    }

    @Test
    void examples() {
        assertThat(Check.id("guestId", "xmpp-1")).isEqualTo("xmpp-1");
        assertThat(Check.id("guestId", "\u00a0")).isEqualTo("\u00a0"); // not whitespace for isBlank
        for (String blank : new String[] {"", " ", "\u1680", "\u3000 ", "\t\u2028"}) {
            assertThatThrownBy(() -> Check.id("guestId", blank)).hasMessageContaining("must not be blank");
        }
        assertThatThrownBy(() -> Check.id("guestId", null)).hasMessageContaining("must not be blank");
    }
}
