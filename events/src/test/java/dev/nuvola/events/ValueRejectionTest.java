package dev.nuvola.events;

import static dev.nuvola.events.Rejections.edit;
import static dev.nuvola.events.Rejections.invalid;
import static dev.nuvola.events.Rejections.refused;
import static dev.nuvola.events.Rejections.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that are not an event at all: refused with a null field and a clear message. */
class ValueRejectionTest {
    @Test
    void notJson() {
        refused(GuestMetrics.class, utf8("guest xmpp-01 uses 2048 MiB"), null, "not valid JSON");
        refused(GuestMetrics.class, utf8("{\"guestId\":\"xmpp-01\","), null, "not valid JSON");
        refused(GuestMetrics.class, utf8("{'guestId':'xmpp-01'}"), null, "not valid JSON");
        refused(GuestMetrics.class, new byte[] {(byte) 0xC3, (byte) 0x28, 0x7B}, null, "not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"guestId\":\"xmpp-01\"}]", "\"xmpp-01\"", "2048", "true", "null", "   "})
    void notAnObject(String json) {
        refused(GuestMetrics.class, utf8(json), null, "must be a JSON object");
    }

    @Test
    void arrayOfValidEvents() {
        String one = new String(EventCodec.encode(Examples.guestMetrics()), StandardCharsets.UTF_8);
        refused(GuestMetrics.class, utf8("[" + one + "," + one + "]"), null, "must be a JSON object");
    }

    @Test
    void emptyValue() {
        refused(GuestMetrics.class, new byte[0], null, "no value");
        refused(GuestMetrics.class, null, null, "no value");
    }

    @Test
    void emptyObject() {
        refused(GuestMetrics.class, utf8("{}"), "guestId", "is required");
    }

    @Test
    void valueOverMaxBytes() {
        byte[] exact = padded(EventCodec.MAX_BYTES);
        assertThat(exact).hasSize(EventCodec.MAX_BYTES);
        assertThat(EventCodec.decode(exact, GuestMetrics.class)).isEqualTo(Examples.guestMetrics());
        byte[] over = padded(EventCodec.MAX_BYTES + 1);
        refused(GuestMetrics.class, over, null, (EventCodec.MAX_BYTES + 1) + " bytes, more than the " + EventCodec.MAX_BYTES);
        // Not even looked at: garbage over the limit gets the size reason, not a parse error.
        refused(GuestMetrics.class, new byte[EventCodec.MAX_BYTES + 1], null, "more than");
    }

    /** A valid GuestMetrics padded with an unknown field to exactly {@code size} bytes. */
    private byte[] padded(int size) {
        ObjectNode tree = Json.tree(Examples.guestMetrics());
        tree.put("padding", "");
        int missing = size - Json.bytes(tree).length;
        tree.put("padding", "x".repeat(missing));
        return Json.bytes(tree);
    }

    @Test
    void absurdNestingIsRefusedNotAStackOverflow() {
        refused(GuestMetrics.class, utf8("[".repeat(100_000)), null, "not valid JSON");
        refused(GuestMetrics.class, utf8("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)), null, "nesting depth");
    }

    @Test
    void nullElementInASet() {
        InvalidEventException e = invalid(() -> EventCodec.decode(
                edit(Examples.hostStatus(), t -> t.putArray("capabilities").addNull()), HostStatus.class));
        assertThat(e.getMessage()).isNotBlank();
    }
}
