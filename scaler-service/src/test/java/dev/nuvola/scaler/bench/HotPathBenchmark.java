package dev.nuvola.scaler.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.scaler.logic.GuestPolicies;
import dev.nuvola.scaler.logic.recommender.GuestRecommender;
import dev.nuvola.scaler.logic.recommender.RecommenderConfig;

/**
 * The scaler's work per sample, in process, without Kafka or Quarkus: reading the record (CloudEvents headers
 * and JSON) and the recommender's {@code observe}. Not a test (no *Test name): run with
 * {@code mvn -pl scaler-service test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.nuvola.scaler.bench.HotPathBenchmark}. Figures are per sample, after warm-up.
 */
public final class HotPathBenchmark {
    private static final int GUESTS = Integer.getInteger("bench.guests", 5_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 20);

    public static void main(String[] args) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(GUESTS * ROUNDS);
        Instant start = Instant.parse("2026-11-26T15:00:00Z");
        for (int round = 0; round < ROUNDS; round++) {
            for (int g = 0; g < GUESTS; g++) {
                String guest = "g-" + g;
                GuestMetrics sample = new GuestMetrics(guest, "h-" + g / 50, start.plusMillis(round * 1000L + g % 1000),
                        2048, 1400 + (g + round) % 50, 600, 2, 0.3, null, null);
                ProducerRecord<String, byte[]> produced = EventRecords.create(guest, sample, "/bench");
                RecordHeaders headers = new RecordHeaders(produced.headers().toArray());
                records.add(new ConsumerRecord<>("nuvola.guest-metrics", 0, records.size(), 0L, TimestampType.CREATE_TIME,
                        0, 0, guest, produced.value(), headers, java.util.Optional.empty()));
            }
        }
        java.util.Map<String, GuestRecommender> kept = null;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int pass = 1; pass <= 5; pass++) {
            long a0 = threads.getThreadAllocatedBytes(self);
            long t0 = System.nanoTime();
            List<GuestMetrics> decoded = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> r : records) {
                decoded.add(EventRecords.read(r, GuestMetrics.class).payload());
            }
            long t1 = System.nanoTime();
            long a1 = threads.getThreadAllocatedBytes(self);
            RecommenderConfig config = RecommenderConfig.defaults();
            java.util.Map<String, GuestRecommender> recommenders = new java.util.HashMap<>();
            int acts = 0;
            for (GuestMetrics m : decoded) {
                GuestPolicy policy = GuestPolicies.defaultFor(m.guestId(), 8192, 8);
                if (recommenders.computeIfAbsent(m.guestId(), id -> new GuestRecommender(id, config))
                        .decide(m, policy, 8192, 8) != null) {
                    acts++;
                }
            }
            long t2 = System.nanoTime();
            long a2 = threads.getThreadAllocatedBytes(self);
            kept = recommenders;
            int n = records.size();
            System.out.printf("[bench] pass %d: %d samples: read (headers + JSON) %.2f µs and %d bytes allocated a sample,"
                    + " decide %.2f µs and %d bytes a sample (%d acted)%n", pass, n, (t1 - t0) / 1e3 / n, (a1 - a0) / n,
                    (t2 - t1) / 1e3 / n, (a2 - a1) / n, acts);
        }
        // The state a guest keeps after ROUNDS samples: heap in use with the last pass's recommenders, and without.
        records.clear();
        long with = usedAfterGc();
        int guests = kept.size();
        kept = null;
        long without = usedAfterGc();
        System.out.printf("[bench] recommender state after %d samples: %d bytes a guest (%d guests)%n", ROUNDS,
                (with - without) / guests, guests);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
