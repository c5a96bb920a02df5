package dev.nuvola.migration.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "nuvola.migration")
public interface MigrationConfig {

    /** How long an agent has for one attempt of a step (the command's deadline). */
    @WithDefault("60s")
    Duration stepTimeout();

    /** Attempts of a forward step before the saga compensates; an ABORT is retried without bound. */
    @WithDefault("3")
    int maxAttempts();

    /** How often deadlines, unplanned sagas and drains are looked at. */
    @WithDefault("1s")
    String tick();

    /**
     * How long a request may wait for its source host's status (e.g. just after a restart, before the compacted
     * topic is read) before it is refused.
     */
    @WithDefault("30s")
    Duration planningPatience();

    /** Rolled-back migrations to a host within this window weigh against it. */
    @WithDefault("30m")
    Duration failureWindow();

    /** How many of a drain's migrations run at once unless the request says otherwise. */
    @WithDefault("2")
    int drainConcurrency();

    Weights weights();

    interface Weights {
        @WithDefault("1.0")
        double freeMemory();

        @WithDefault("1.0")
        double balance();

        @WithDefault("2.0")
        double recentFailures();
    }
}
