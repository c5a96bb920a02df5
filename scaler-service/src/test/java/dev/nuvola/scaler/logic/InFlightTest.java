package dev.nuvola.scaler.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestSize;

class InFlightTest {
    private final InFlight inFlight = new InFlight();
    private final Instant t0 = Instant.parse("2026-11-26T12:00:00Z");

    private InFlight.Command command(String id, String guest, String host, long from, long to, Instant deadline) {
        return new InFlight.Command(id, guest, host, new GuestSize(from, 2), new GuestSize(to, 2), deadline);
    }

    @Test
    void aGuestWithACommandInFlightIsNotDecidedAgainBeforeItsDeadline() {
        assertThat(inFlight.mayDecide("g", t0, t0)).isTrue();
        inFlight.started(command("c1", "g", "h", 1024, 1536, t0.plusSeconds(30)));
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(1), t0.plusSeconds(1))).isFalse();
        assertThat(inFlight.mayDecide("other", t0.plusSeconds(1), t0.plusSeconds(1))).isTrue();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(31), t0.plusSeconds(31))).isTrue();
    }

    @Test
    void samplesTakenBeforeTheResultAreStale() {
        inFlight.started(command("c1", "g", "h", 1024, 1536, t0.plusSeconds(30)));
        assertThat(inFlight.settled("g", "c1", t0.plusSeconds(2))).isPresent();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(1), t0.plusSeconds(3))).isFalse();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(2), t0.plusSeconds(3))).isFalse();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(3), t0.plusSeconds(3))).isTrue();
    }

    @Test
    void aLateOlderResultDoesNotMoveTheStaleLineBack() {
        inFlight.settled("g", "c1", t0.plusSeconds(5));
        inFlight.settled("g", "c0", t0.plusSeconds(2));
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(4), t0.plusSeconds(6))).isFalse();
    }

    @Test
    void growthInFlightCountsAgainstItsHostUntilAnsweredOrExpired() {
        inFlight.started(command("c1", "a", "h1", 1024, 1536, t0.plusSeconds(30)));
        inFlight.started(command("c2", "b", "h1", 2048, 1024, t0.plusSeconds(30)));
        inFlight.started(command("c3", "c", "h2", 1024, 2048, t0.plusSeconds(30)));
        assertThat(inFlight.memoryGrowth("h1", t0)).isEqualTo(512);
        assertThat(inFlight.memoryGrowth("h2", t0)).isEqualTo(1024);
        assertThat(inFlight.memoryGrowth("h1", t0.plusSeconds(31))).isZero();
        inFlight.settled("a", "c1", t0.plusSeconds(1));
        assertThat(inFlight.memoryGrowth("h1", t0.plusSeconds(2))).isZero();
    }

    @Test
    void aResultForAnOlderCommandDoesNotReleaseTheCurrentOne() {
        inFlight.started(command("c2", "g", "h", 1024, 1536, t0.plusSeconds(30)));
        assertThat(inFlight.settled("g", "c1", t0.plusSeconds(1))).isEmpty();
        assertThat(inFlight.memoryGrowth("h", t0.plusSeconds(2))).isEqualTo(512);
    }
}
