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
    /** The recommenders of the last pass. */
    private static java.util.Map<String, GuestRecommender> kept;
    private static List<ConsumerRecord<String, byte[]>> records;

    public static void main(String[] args) {
        records = new ArrayList<>(GUESTS * ROUNDS);
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
        for (int pass = 1; pass <= 5; pass++) {
            pass(pass);
        }
        printState();
    }

    /**
     * The state a guest keeps after ROUNDS samples: heap in use after a second set of recommenders is made, less
     * before (with the samples and the first set held in both). Measured by adding, not by freeing (freeing also
     * freed cleared library caches by turns), and the second time: the first also left one-off objects behind.
     */
    private static void printState() {
        List<GuestMetrics> decoded = decodeAll();
        records.clear();
        decideAll(decoded);
        java.util.Map<String, GuestRecommender> first = kept;
        long before = usedAfterGc();
        decideAll(decoded);
        long after = usedAfterGc();
        int guests = kept.size();
        System.out.printf("[bench] recommender state after %d samples: %d bytes a guest (%d guests, %d samples and %d"
                + " more guests held)%n", ROUNDS, (after - before) / guests, guests, decoded.size(), first.size());
    }

    /**
     * One pass over all records, timed and its allocations counted.
     */
    private static void pass(int pass) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long self = Thread.currentThread().getId();
        long a0 = threads.getThreadAllocatedBytes(self);
        long t0 = System.nanoTime();
        List<GuestMetrics> decoded = decodeAll();
        long t1 = System.nanoTime();
        long a1 = threads.getThreadAllocatedBytes(self);
        int acts = decideAll(decoded);
        long t2 = System.nanoTime();
        long a2 = threads.getThreadAllocatedBytes(self);
        int n = decoded.size();
        System.out.printf("[bench] pass %d: %d samples: read (headers + JSON) %.2f µs and %d bytes allocated a sample,"
                + " decide %.2f µs and %d bytes a sample (%d acted)%n", pass, n, (t1 - t0) / 1e3 / n, (a1 - a0) / n,
                (t2 - t1) / 1e3 / n, (a2 - a1) / n, acts);
    }

    private static List<GuestMetrics> decodeAll() {
        List<GuestMetrics> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            decoded.add(EventRecords.read(r, GuestMetrics.class).payload());
        }
        return decoded;
    }

    /** Feeds every sample to its guest's recommender, new ones left in {@link #kept}; how many acted. */
    private static int decideAll(List<GuestMetrics> decoded) {
        RecommenderConfig config = RecommenderConfig.defaults();
        java.util.Map<String, GuestRecommender> recommenders = new java.util.HashMap<>();
        // As ScalingService: a guest without a policy keeps its default one while its maxima stay.
        java.util.Map<String, GuestPolicy> policies = new java.util.HashMap<>();
        int acts = 0;
        for (GuestMetrics m : decoded) {
            GuestPolicy policy = policies.computeIfAbsent(m.guestId(), id -> GuestPolicies.defaultFor(id, 8192, 8));
            if (recommenders.computeIfAbsent(m.guestId(), id -> new GuestRecommender(id, config))
                    .decide(m, policy, 8192, 8) != null) {
                acts++;
            }
        }
        kept = recommenders;
        return acts;
    }

    private static long usedAfterGc() {
        clearSoftReferences();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * Fills the heap until it runs out: the JVM clears every soft reference (library caches) before it gives up,
     * which it otherwise does by the clock, and which made the state's figure jump by megabytes between runs.
     */
    private static void clearSoftReferences() {
        List<long[]> fill = new ArrayList<>();
        try {
            while (true) {
                fill.add(new long[1 << 20]);
            }
        } catch (OutOfMemoryError expected) {
            fill.clear();
        }
    }
}
