package dev.nuvola.agent.logic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * When a node's metrics cycles run: at {@code phase + k × interval} on the wall clock, where the phase is the
 * node's own, derived from its host id.
 * <p>
 * Quarkus' scheduler checks its triggers at whole seconds, so every agent of a fleet with synchronised clocks
 * sampled and published at the same instant: the broker, the scaler and inventory got each second's samples as one
 * burst, and on the benchmark's two cores every process waited for a core at once. A phase per node spreads the
 * fleet's samples over the interval; derived from the host id, it is the same after a restart, and an operator can
 * tell when a node samples.
 */
public final class CycleSlots {
    private final long intervalMillis;
    private final long phaseMillis;

    public CycleSlots(Duration interval, Duration phase) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive, got " + interval);
        }
        if (phase.isNegative() || phase.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("the phase must be at least 0 and less than the interval " + interval
                    + ", got " + phase);
        }
        this.intervalMillis = interval.toMillis();
        this.phaseMillis = phase.toMillis();
    }

    /** The slots of the node called {@code hostId}: its phase spread by a hash of the id (FNV-1a, 64 bits). */
    public static CycleSlots forHost(String hostId, Duration interval) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : hostId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // FNV's low bits mix poorly for ids that differ only at the end (host-1, host-2): fold the high bits in.
        hash ^= hash >>> 29;
        return new CycleSlots(interval, Duration.ofMillis(Long.remainderUnsigned(hash, interval.toMillis())));
    }

    public long phaseMillis() {
        return phaseMillis;
    }

    /**
     * The first slot strictly after {@code nowMillis} (epoch milliseconds). A cycle that overran its slot does not
     * make the next ones run back to back to catch up: the slots it overran are skipped, as with
     * {@code ConcurrentExecution.SKIP}.
     */
    public long nextAfter(long nowMillis) {
        long sinceFirst = Math.floorMod(nowMillis - phaseMillis, intervalMillis);
        return nowMillis - sinceFirst + intervalMillis;
    }
}
