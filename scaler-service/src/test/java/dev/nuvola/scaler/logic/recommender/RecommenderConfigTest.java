package dev.nuvola.scaler.logic.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RecommenderConfigTest {

    @Test
    void defaultsAreTheIssuesSettings() {
        RecommenderConfig c = RecommenderConfig.defaults();
        assertThat(c.percentile()).isEqualTo(0.95);
        assertThat(c.safetyMargin()).isEqualTo(0.15);
        assertThat(c.granularityMiB()).isEqualTo(128);
        assertThat(c.emergencyThreshold()).isEqualTo(0.95);
        assertThat(c.growCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.shrinkCooldown()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.shrinkAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.trendLeadTime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theBandSitsAroundThePolicysTarget() {
        RecommenderConfig c = RecommenderConfig.defaults();
        assertThat(c.growAbove(0.80)).isEqualTo(0.85, offset(1e-12));
        assertThat(c.shrinkBelow(0.80)).isEqualTo(0.60, offset(1e-12));
        // Targets of 0 or 1 would leave no band: they are taken as 10 % and 90 %.
        assertThat(c.effectiveTarget(0.0)).isEqualTo(0.10);
        assertThat(c.effectiveTarget(1.0)).isEqualTo(0.90);
        assertThat(c.growAbove(1.0)).isEqualTo(0.95);
        assertThat(c.withMargin(100)).isEqualTo(228, offset(1e-9));
        assertThat(c.withMargin(2000)).isEqualTo(2300, offset(1e-9));
    }

    @Test
    void theBuilderChangesOnlyWhatItIsTold() {
        RecommenderConfig c = RecommenderConfig.builder().percentile(0.9).granularityMiB(256).build();
        assertThat(c.percentile()).isEqualTo(0.9);
        assertThat(c.granularityMiB()).isEqualTo(256);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.halfLife()).isEqualTo(RecommenderConfig.defaults().halfLife());
    }

    @Test
    void refusesNonsenseWithTheSettingsName() {
        assertThatThrownBy(() -> RecommenderConfig.builder().percentile(95).build()).hasMessageContaining("percentile");
        assertThatThrownBy(() -> RecommenderConfig.builder().safetyMargin(15).build())
                .hasMessageContaining("safetyMargin must be a fraction");
        assertThatThrownBy(() -> RecommenderConfig.builder().granularityMiB(0).build())
                .hasMessageContaining("granularityMiB");
        assertThatThrownBy(() -> RecommenderConfig.builder().halfLife(Duration.ZERO).build())
                .hasMessageContaining("halfLife");
        assertThatThrownBy(() -> RecommenderConfig.builder().shrinkCooldown(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("shrinkCooldown");
        assertThatThrownBy(() -> RecommenderConfig.builder().trendMinSpan(Duration.ofHours(1)).build())
                .hasMessageContaining("trendMinSpan");
        assertThatThrownBy(() -> RecommenderConfig.builder().trendWindow(Duration.ofDays(8)).build())
                .hasMessageContaining("trendWindow must be at most PT168H");
        assertThatThrownBy(() -> RecommenderConfig.builder().lowerBoundPercentile(0.99).build())
                .hasMessageContaining("ordered");
        assertThatThrownBy(() -> RecommenderConfig.builder().shrinkHysteresis(0).build())
                .hasMessageContaining("shrinkHysteresis");
    }
}
