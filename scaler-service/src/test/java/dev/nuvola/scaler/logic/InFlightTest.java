package dev.nuvola.scaler.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class InFlightTest {
    private final InFlight inFlight = new InFlight();
    private final Instant t0 = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aGuestWithACommandInFlightIsNotDecidedAgainBeforeItsDeadline() {
        assertThat(inFlight.mayDecide("g", t0, t0)).isTrue();
        inFlight.started("g", t0.plusSeconds(30));
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(1), t0.plusSeconds(1))).isFalse();
        assertThat(inFlight.mayDecide("other", t0.plusSeconds(1), t0.plusSeconds(1))).isTrue();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(31), t0.plusSeconds(31))).isTrue();
    }

    @Test
    void samplesTakenBeforeTheResultAreStale() {
        inFlight.started("g", t0.plusSeconds(30));
        inFlight.settled("g", t0.plusSeconds(2));
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(1), t0.plusSeconds(3))).isFalse();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(2), t0.plusSeconds(3))).isFalse();
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(3), t0.plusSeconds(3))).isTrue();
    }

    @Test
    void aLateOlderResultDoesNotMoveTheStaleLineBack() {
        inFlight.settled("g", t0.plusSeconds(5));
        inFlight.settled("g", t0.plusSeconds(2));
        assertThat(inFlight.mayDecide("g", t0.plusSeconds(4), t0.plusSeconds(6))).isFalse();
    }
}
