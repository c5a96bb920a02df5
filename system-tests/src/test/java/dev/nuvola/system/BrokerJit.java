package dev.nuvola.system;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The benchmarks run the broker in their own JVM, with its JIT compiler on: this JVM's compilation time, and a wait
 * until the compiler has settled, so that a measurement does not share the two cores with it.
 */
final class BrokerJit {
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private BrokerJit() {
    }

    /** How long it took, and the compiler's rate over the last window (ms of compiling a second). */
    record Settled(double seconds, double millisPerSecond) {
    }

    /** Milliseconds this JVM has spent compiling since it started. */
    static long compiledMillis() {
        return JIT.getTotalCompilationTime();
    }

    /** Waits until this JVM compiles less than {@code millisPerSecond} over a {@code window}, at most {@code max}. */
    static Settled awaitSettled(Duration window, double millisPerSecond, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        double rate = Double.NaN;
        while (System.nanoTime() - start < max.toNanos()) {
            long before = compiledMillis();
            Thread.sleep(window.toMillis());
            rate = (compiledMillis() - before) * 1000.0 / window.toMillis();
            if (rate < millisPerSecond) {
                break;
            }
        }
        return new Settled((System.nanoTime() - start) / 1e9, rate);
    }
}
