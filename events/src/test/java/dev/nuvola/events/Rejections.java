package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared assertions: every refusal is an InvalidEventException whose field() names what is wrong. */
final class Rejections {
    private Rejections() {
    }

    static InvalidEventException invalid(ThrowingCallable call) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, call);
        assertThat(e).as("an InvalidEventException").isNotNull();
        return e;
    }

    /** Decoding {@code json} as {@code type} fails, naming {@code field}, with {@code messagePart} in the message. */
    static InvalidEventException refused(Class<? extends Record> type, byte[] json, String field, String messagePart) {
        InvalidEventException e = invalid(() -> EventCodec.decode(json, type));
        assertThat(e.field()).isEqualTo(field);
        if (field != null) {
            assertThat(e.getMessage()).startsWith(field + ": ");
        }
        assertThat(e.getMessage()).containsIgnoringCase(messagePart);
        return e;
    }

    static byte[] edit(Record example, Consumer<ObjectNode> edit) {
        return Json.edited(example, edit);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
