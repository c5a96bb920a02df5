package dev.nuvola.scaler.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestMetrics;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class StepGrowRuleTest {
    private final StepGrowRule rule = new StepGrowRule(0.85, 512);

    @Test
    void growsByOneStepAboveTheThreshold() {
        assertThat(rule.decide(sample(2048, 1800))).hasValue(2560);
    }

    @Test
    void leavesAGuestAtOrBelowTheThresholdAlone() {
        assertThat(rule.decide(sample(2000, 1700))).isEmpty();
        assertThat(rule.decide(sample(2048, 1024))).isEmpty();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new StepGrowRule(85, 512)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> new StepGrowRule(0.85, 0)).hasMessageContaining("positive");
    }

    @Property
    void growsExactlyWhenUseIsAboveThresholdAndAlwaysByOneStep(@ForAll @LongRange(min = 1, max = 1 << 20) long assigned,
                                                               @ForAll @LongRange(min = 0, max = 1 << 20) long used) {
        var decision = rule.decide(sample(assigned, used));
        assertThat(decision.isPresent()).isEqualTo(used > 0.85 * assigned);
        decision.ifPresent(target -> assertThat(target).isEqualTo(assigned + 512));
    }

    static GuestMetrics sample(long assigned, long used) {
        return new GuestMetrics("g", "h", Instant.now(), assigned, used, Math.max(0, assigned - used), 2, 0.1, null,
                null);
    }
}
