package dev.nuvola.scaler.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "nuvola.scaler")
public interface ScalerConfig {

    /** A command not applied within this time is never applied (the agent rejects it). */
    @WithDefault("30s")
    Duration commandDeadline();

    /** After this many failed resizes in a row, a guest is left alone for {@link #failureBackoff()}. */
    @WithDefault("3")
    int maxFailures();

    @WithDefault("5m")
    Duration failureBackoff();

    /** How long a requested migration may take before the guest is decided again. */
    @WithDefault("10m")
    Duration migrationPatience();

    Inputs inputs();

    /** The consumer of samples and resize results (see ScalingInputs). */
    interface Inputs {
        /** Scaler instances share guests by partition within this group. */
        @WithDefault("nuvola-scaler")
        String groupId();

        /** Where a new group starts: only new samples matter to a decision. */
        @WithDefault("latest")
        String autoOffsetReset();

        /**
         * Records a poll returns at most; each poll's records stay alive until all are decided. With 2,000 a poll's
         * records (about 4 MB with their headers) outgrew the young generation's survivor space, went to the old
         * generation at every young collection and filled it: while a backlog was read, four full collections in
         * 3 s (179 ms) besides the young ones (266 ms). With 500, Kafka's default: no full collection, 187 ms of
         * young ones, and the scaler read 123,000-130,000 samples/s instead of 108,000-118,000 (ScalerBenchmark).
         */
        @WithDefault("500")
        int maxPollRecords();

        @WithDefault("100ms")
        Duration pollTimeout();

        /**
         * How often handled offsets are committed while records keep coming; an idle poll commits at once. After a
         * crash, the next owner reads at most this much again, which the recommender ignores (samples not newer than
         * its last). Committing after every poll was 100 commits a second at 5,000 guests (ScalerBenchmark), each one
         * written by the broker's group coordinator.
         */
        @WithDefault("1s")
        Duration commitInterval();

        /**
         * Polls each step after polling (decoding, deciding) may hold, the one it is on included: more lets a step
         * run on through the other's pauses; each poll held is memory that survives young collections.
         */
        @WithDefault("2")
        int batchesAhead();

        /** Any other Kafka consumer setting, e.g. nuvola.scaler.inputs.kafka."security.protocol"=SSL. */
        java.util.Map<String, String> kafka();
    }
}
