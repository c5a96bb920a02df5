package dev.nuvola.agent.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

import org.junit.jupiter.api.Test;

class CycleSlotsTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Property(tries = 2000)
    void theNextSlotIsTheFirstOneStrictlyAfterNowAndOnThePhase(@ForAll @StringLength(min = 1, max = 40) String hostId,
            @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long now,
            @ForAll @LongRange(min = 1, max = 3_600_000) long intervalMillis) {
        CycleSlots slots = CycleSlots.forHost(hostId, Duration.ofMillis(intervalMillis));
        long next = slots.nextAfter(now);
        assertThat(next).isGreaterThan(now).isLessThanOrEqualTo(now + intervalMillis);
        assertThat(Math.floorMod(next, intervalMillis)).isEqualTo(slots.phaseMillis());
        assertThat(slots.phaseMillis()).isBetween(0L, intervalMillis - 1);
    }

    @Test
    void aNodeKeepsItsPhaseAcrossRestartsAndNodesGetDifferentOnes() {
        assertThat(CycleSlots.forHost("host-7", SECOND).phaseMillis())
                .isEqualTo(CycleSlots.forHost("host-7", SECOND).phaseMillis());
        assertThat(CycleSlots.forHost("host-7", SECOND).phaseMillis())
                .isNotEqualTo(CycleSlots.forHost("host-8", SECOND).phaseMillis());
    }

    /**
     * The point of a phase: a fleet's cycles spread over the second instead of all at its start. Ids as fleets name
     * their nodes (a prefix and a number): each tenth of the second gets 10 % of 10,000 nodes, within a fifth.
     */
    @Test
    void aFleetsCyclesSpreadOverTheInterval() {
        for (String prefix : new String[] {"host-", "bh-", "node", "kvm-eu-west-1a-"}) {
            int[] tenths = new int[10];
            for (int i = 0; i < 10_000; i++) {
                tenths[(int) (CycleSlots.forHost(prefix + i, SECOND).phaseMillis() / 100)]++;
            }
            for (int count : tenths) {
                assertThat(count).as("nodes named %sN in one tenth of the second", prefix).isBetween(800, 1200);
            }
        }
    }

    @Test
    void ten_nodesOfABenchmarkAreNotBunched() {
        // The dev stack's and the benchmark's hosts: host-1 … host-10. No two within 20 ms of each other would be
        // too strict for a hash; at least five distinct tenths of the second is what spreading means here.
        long tenths = java.util.stream.IntStream.rangeClosed(1, 10)
                .mapToLong(i -> CycleSlots.forHost("host-" + i, SECOND).phaseMillis() / 100).distinct().count();
        assertThat(tenths).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aSlotThatWasMissedIsSkippedNotCaughtUp() {
        CycleSlots slots = new CycleSlots(SECOND, Duration.ofMillis(250));
        assertThat(slots.nextAfter(10_000)).isEqualTo(10_250);
        assertThat(slots.nextAfter(10_250)).isEqualTo(11_250);
        // A cycle due at 10,250 that ran until 12,900 is followed by 13,250, not by 11,250 and 12,250 at once.
        assertThat(slots.nextAfter(12_900)).isEqualTo(13_250);
    }

    @Test
    void refusesAPhaseOutsideTheInterval() {
        assertThatThrownBy(() -> new CycleSlots(SECOND, SECOND)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("less than the interval");
        assertThatThrownBy(() -> new CycleSlots(Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
