package dev.nuvola.events;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Time and bytes allocated per {@code GuestMetrics} decode, in process: databind alone, {@link EventCodec#decode}
 * (the {@link GuestMetricsReader} fast path), and {@link EventRecords#read} (CloudEvents headers and JSON). Not a
 * test (no *Test name), and no exec plugin offline, so run it with the services' JIT setting:
 * <pre>
 * mvn -o -q -B -pl events test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/ev-cp.txt -Dmdep.includeScope=test
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp events/target/test-classes:events/target/classes:$(cat /tmp/ev-cp.txt) \
 *     dev.nuvola.events.GuestMetricsDecodeBenchmark
 * </pre>
 * Figures are per sample over {@code bench.samples} samples (100,000), for each of 5 passes after 3 of warm-up;
 * {@code -Dbench.shortFractions=true} writes the fractions with two digits instead of in full.
 */
public final class GuestMetricsDecodeBenchmark {
    private static final int SAMPLES = Integer.getInteger("bench.samples", 100_000);
    /** Fractions of two digits (0.37) instead of full-precision ratios (0.37111334002006017) as the agents send. */
    private static final boolean SHORT_FRACTIONS = Boolean.getBoolean("bench.shortFractions");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static Object sink;

    private GuestMetricsDecodeBenchmark() {
    }

    public static void main(String[] args) {
        List<ConsumerRecord<String, byte[]>> records = samples();
        List<byte[]> values = records.stream().map(ConsumerRecord::value).toList();
        run("databind          ", values, json -> EventCodec.decodeWithDatabind(json, GuestMetrics.class));
        run("EventCodec.decode ", values, json -> EventCodec.decode(json, GuestMetrics.class));
        run("EventRecords.read ", records, r -> EventRecords.read(r, GuestMetrics.class));
    }

    /** Samples as the agents send them: a third with a balloon and memory pressure, the rest without. */
    private static List<ConsumerRecord<String, byte[]>> samples() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(SAMPLES);
        Instant start = Instant.parse("2026-11-26T15:00:00Z");
        for (int i = 0; i < SAMPLES; i++) {
            String guest = "guest-" + i % 5_000;
            boolean full = i % 3 == 0;
            double cpu = SHORT_FRACTIONS ? (i % 100) / 100.0 : (i % 997) / 997.0;
            Double pressure = full ? (SHORT_FRACTIONS ? (i % 89) / 100.0 : (i % 89) / 89.0) : null;
            GuestMetrics sample = new GuestMetrics(guest, "host-" + i % 100, start.plusMillis(i * 7L), 4096,
                    1400 + i % 2000, 2696 - i % 2000, 2 + i % 8, cpu, full ? 512L + i % 64 : null, pressure);
            ProducerRecord<String, byte[]> produced = EventRecords.create(guest, sample, "nuvola://host-agent/bench");
            records.add(new ConsumerRecord<>(produced.topic(), 0, i, 0L, TimestampType.CREATE_TIME, 0, 0, guest,
                    produced.value(), new RecordHeaders(produced.headers().toArray()), Optional.empty()));
        }
        return records;
    }

    private static <T> void run(String label, List<T> inputs, Function<T, Object> decode) {
        long thread = Thread.currentThread().getId();
        for (int pass = -3; pass < 5; pass++) {
            long bytes0 = THREADS.getThreadAllocatedBytes(thread);
            long t0 = System.nanoTime();
            for (T input : inputs) {
                sink = decode.apply(input);
            }
            long t1 = System.nanoTime();
            long bytes = THREADS.getThreadAllocatedBytes(thread) - bytes0;
            if (pass >= 0) {
                System.out.printf("%s pass %d: %.3f µs, %d bytes allocated per sample%n", label, pass + 1,
                        (t1 - t0) / 1000.0 / inputs.size(), bytes / inputs.size());
            }
        }
    }
}
