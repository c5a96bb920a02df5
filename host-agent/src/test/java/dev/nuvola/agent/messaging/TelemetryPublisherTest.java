package dev.nuvola.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.nuvola.devstack.Net;
import dev.nuvola.events.GuestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** With no broker to reach, a sample is refused within the metadata wait, counted, and the caller told to stop. */
class TelemetryPublisherTest {

    @Test
    void withTheBrokerAwayASendIsRefusedQuicklyAndCounted() {
        int nobody = Net.freePort(Net.IPV6_LOOPBACK);
        TelemetryPublisher publisher = new TelemetryPublisher(
                Map.of("bootstrap.servers", "[::1]:" + nobody), new SimpleMeterRegistry(), "/nuvola/host-agent/test");
        try {
            long t0 = System.nanoTime();
            boolean sent = publisher.publish("g1",
                    new GuestMetrics("g1", "host-1", Instant.now(), 2048, 1024, 1024, 2, 0.5, null, null));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(sent).isFalse();
            assertThat(publisher.failed()).isEqualTo(1);
            assertThat(ms).as("one metadata wait (max.block.ms 1000), not the producer's default 60 s")
                    .isBetween(900L, 5_000L);
        } finally {
            publisher.stop(null);
        }
    }
}
