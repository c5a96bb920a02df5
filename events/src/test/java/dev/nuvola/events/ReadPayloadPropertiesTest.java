package dev.nuvola.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link EventRecords#readPayload} checks the headers on their bytes and reads them in full only when in doubt: it must
 * judge every record exactly as {@link EventRecords#read} does (HeaderRejectionTest has the examples).
 */
class ReadPayloadPropertiesTest {
    private final ProducerRecord<String, byte[]> sent = EventRecords.create("host-a", Examples.resizeCommand(), "scaler");

    private ConsumerRecord<String, byte[]> with(Consumer<Headers> edit) {
        return Json.consumedWith(sent, edit);
    }

    /** Whatever is done to the headers, readPayload and read agree: the same payload, or the same refusal. */
    @Property(tries = 3000)
    void readPayloadJudgesEveryHeaderAsReadDoes(@ForAll("headerEdits") List<HeaderEdit> edits) {
        ConsumerRecord<String, byte[]> record = with(h -> edits.forEach(e -> e.apply(h)));
        Object full;
        try {
            full = EventRecords.read(record, ResizeCommand.class).payload();
        } catch (InvalidEventException e) {
            full = e.getMessage();
        }
        Object payloadOnly;
        try {
            payloadOnly = EventRecords.readPayload(record, ResizeCommand.class);
        } catch (InvalidEventException e) {
            payloadOnly = e.getMessage();
        }
        assertThat(payloadOnly).as(edits.toString()).isEqualTo(full);
    }

    record HeaderEdit(String key, byte[] value, boolean added) {
        void apply(Headers h) {
            if (!added) {
                h.remove(key);
            }
            h.add(key, value);
        }

        @Override
        public String toString() {
            return (added ? "add " : "set ") + key + "=" + (value == null ? "null" : "'" + new String(value, StandardCharsets.UTF_8) + "'");
        }
    }

    @Provide
    Arbitrary<List<HeaderEdit>> headerEdits() {
        Arbitrary<String> keys = Arbitraries.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type",
                "ce_timex", "ce_Id");
        Arbitrary<String> texts = Arbitraries.oneOf(
                Arbitraries.of("1.0", "1.0 ", "0.3", "", " ", "\t\n", "\u001c\u001f", "\u00a0", "\u2003", "id-\u00e9",
                        "dev.nuvola.resize.command.v1", "dev.nuvola.resize.result.v1", "dev.nuvola.resize.command.v2",
                        "2026-11-26T15:00:00Z", "2026-11-26T16:00:00+01:00", "2026-02-30T15:00:00Z", "now", "scaler",
                        "i".repeat(255), "i".repeat(256), "\u00e9".repeat(200)),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<byte[]> values = Arbitraries.oneOf(texts.map(t -> t.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just((byte[]) null), Arbitraries.bytes().array(byte[].class).ofMaxSize(6));
        return Combinators.combine(keys, values, Arbitraries.of(true, false)).as(HeaderEdit::new).list().ofMinSize(1)
                .ofMaxSize(3);
    }

}
