package dev.nuvola.scaler.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

@ConfigMapping(prefix = "nuvola.scaler")
public interface ScalerConfig {

    /** Share of assigned memory above which a guest grows. */
    @WithDefault("0.85")
    double growThreshold();

    /** What one grow adds. */
    @WithName("grow-step-mib")
    @WithDefault("512")
    long growStepMiB();

    /** A command not applied within this time is never applied (the agent rejects it). */
    @WithDefault("30s")
    Duration commandDeadline();
}
