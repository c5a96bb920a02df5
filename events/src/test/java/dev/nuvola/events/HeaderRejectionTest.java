package dev.nuvola.events;

import static dev.nuvola.events.Rejections.edit;
import static dev.nuvola.events.Rejections.invalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/** CloudEvents headers and keys, checked by EventRecords.read. */
class HeaderRejectionTest {
    private final ProducerRecord<String, byte[]> sent = EventRecords.create("host-a", Examples.resizeCommand(), "scaler");

    private ConsumerRecord<String, byte[]> with(Consumer<Headers> edit) {
        return Json.consumedWith(sent, edit);
    }

    /** read refuses, and readPayload (headers checked on their bytes first) refuses for the same reason. */
    private InvalidEventException refusedRead(ConsumerRecord<String, byte[]> record, String field, String messagePart) {
        InvalidEventException e = invalid(() -> EventRecords.read(record, ResizeCommand.class));
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field + ": ").contains(messagePart);
        assertThat(invalid(() -> EventRecords.readPayload(record, ResizeCommand.class)).getMessage())
                .isEqualTo(e.getMessage());
        return e;
    }

    @Test
    void theUneditedRecordIsFine() {
        assertThat(EventRecords.read(with(h -> { }), ResizeCommand.class).payload()).isEqualTo(Examples.resizeCommand());
        assertThat(EventRecords.readPayload(with(h -> { }), ResizeCommand.class)).isEqualTo(Examples.resizeCommand());
        assertThat(CloudEvent.surelyValid(sent.headers(), EventType.RESIZE_COMMAND.ceTypeBytes())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time"})
    void missingHeader(String header) {
        refusedRead(with(h -> h.remove(header)), header, "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time"})
    void headerWithNullValue(String header) {
        refusedRead(with(h -> {
            h.remove(header);
            h.add(header, null);
        }), header, "missing");
    }

    private static void replace(Headers h, String key, String value) {
        h.remove(key);
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wrongSpecVersion() {
        refusedRead(with(h -> replace(h, "ce_specversion", "0.3")), "ce_specversion", "must be 1.0, got 0.3");
        refusedRead(with(h -> replace(h, "ce_specversion", "")), "ce_specversion", "must be 1.0");
    }

    @Test
    void blankAttributes() {
        refusedRead(with(h -> replace(h, "ce_id", "")), "ce_id", "blank");
        refusedRead(with(h -> replace(h, "ce_source", "  ")), "ce_source", "blank");
        refusedRead(with(h -> replace(h, "ce_id", "i".repeat(256))), "ce_id", "longer than 255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1764169200", "2026-11-26", "2026-11-26 15:00:00", "now", ""})
    void badTime(String time) {
        refusedRead(with(h -> replace(h, "ce_time", time)), "ce_time", "RFC 3339");
    }

    @Test
    void timeWithAnOffsetIsAccepted() {
        var envelope = EventRecords.read(with(h -> replace(h, "ce_time", "2026-11-26T16:00:00+01:00")), ResizeCommand.class);
        assertThat(envelope.meta().time()).isEqualTo(Examples.T0);
    }

    @Test
    void unknownType() {
        refusedRead(with(h -> replace(h, "ce_type", "dev.nuvola.resize.command.v2")), "ce_type",
                "unknown event type 'dev.nuvola.resize.command.v2'");
        refusedRead(with(h -> replace(h, "ce_type", "com.example.something")), "ce_type", "unknown event type");
    }

    @Test
    void typeOfAnotherEvent() {
        refusedRead(with(h -> replace(h, "ce_type", "dev.nuvola.resize.result.v1")), "ce_type",
                "expected dev.nuvola.resize.command.v1 but the record is dev.nuvola.resize.result.v1");
        // Every other type, on every expected class.
        for (EventType expected : EventType.values()) {
            for (EventType actual : EventType.values()) {
                if (actual != expected) {
                    ProducerRecord<String, byte[]> r = EventRecords.create(Examples.keyOf(Examples.full(actual)), Examples.full(actual), "test");
                    InvalidEventException e = invalid(() -> EventRecords.read(Json.consumed(r), expected.recordClass()));
                    assertThat(e.field()).isEqualTo("ce_type");
                    assertThat(e.getMessage()).contains(expected.ceType()).contains(actual.ceType());
                }
            }
        }
    }

    @Test
    void missingKey() {
        for (String key : new String[] {null, "", "  "}) {
            ConsumerRecord<String, byte[]> r = Json.consumed(sent.topic(), key, sent.value(), sent.headers());
            InvalidEventException e = invalid(() -> EventRecords.read(r, ResizeCommand.class));
            assertThat(e.field()).isEqualTo("key");
            assertThat(e.getMessage()).contains("keyed");
        }
    }

    @Test
    void badPayloadBehindGoodHeaders() {
        byte[] value = edit(Examples.resizeCommand(), t -> t.put("targetMemoryMiB", "6GiB"));
        InvalidEventException e = invalid(() -> EventRecords.read(
                Json.consumed(sent.topic(), sent.key(), value, sent.headers()), ResizeCommand.class));
        assertThat(e.field()).isEqualTo("targetMemoryMiB");
        InvalidEventException empty = invalid(() -> EventRecords.read(
                Json.consumed(sent.topic(), sent.key(), null, sent.headers()), ResizeCommand.class));
        assertThat(empty.getMessage()).contains("no value");
    }

    @Test
    void creatingARecordForSomethingOutsideTheContract() {
        record NotAnEvent(String id) {
        }
        assertThatThrownBy(() -> EventRecords.create("k", new NotAnEvent("x"), "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an event of the contract");
    }

    @Test
    void creatingWithoutASource() {
        InvalidEventException e = invalid(() -> EventRecords.create("host-a", Examples.resizeCommand(), " "));
        assertThat(e.field()).isEqualTo("ce_source");
    }
}
