package dev.nuvola.agent.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nuvola.agent.driver.GuestState;

class UsageCurveTest {

    @Test
    void steadyStaysPut() {
        UsageCurve steady = new UsageCurve.Steady(700, 0.2);
        assertThat(steady.workingSetMiB(Duration.ZERO)).isEqualTo(700);
        assertThat(steady.workingSetMiB(Duration.ofHours(5))).isEqualTo(700);
    }

    @Test
    void rampClimbsInAStraightLineThenHolds() {
        UsageCurve ramp = new UsageCurve.Ramp(1000, 3000, 10, 100, 0.3);
        assertThat(ramp.workingSetMiB(Duration.ofSeconds(5))).isEqualTo(1000);
        assertThat(ramp.workingSetMiB(Duration.ofSeconds(10))).isEqualTo(1000);
        assertThat(ramp.workingSetMiB(Duration.ofSeconds(60))).isEqualTo(2000);
        assertThat(ramp.workingSetMiB(Duration.ofSeconds(110))).isEqualTo(3000);
        assertThat(ramp.workingSetMiB(Duration.ofSeconds(500))).isEqualTo(3000);
    }

    @Test
    void spikeIsHighOnlyDuringItsWindow() {
        UsageCurve spike = new UsageCurve.Spike(500, 1900, 30, 20, 0.5);
        assertThat(spike.workingSetMiB(Duration.ofSeconds(29))).isEqualTo(500);
        assertThat(spike.workingSetMiB(Duration.ofSeconds(30))).isEqualTo(1900);
        assertThat(spike.workingSetMiB(Duration.ofSeconds(49))).isEqualTo(1900);
        assertThat(spike.workingSetMiB(Duration.ofSeconds(50))).isEqualTo(500);
    }

    @Test
    void waveIsLowestAtTheStartAndHighestHalfAPeriodLater() {
        UsageCurve wave = new UsageCurve.Wave(200, 400, 600, 0.1);
        assertThat(wave.workingSetMiB(Duration.ZERO)).isEqualTo(200);
        assertThat(wave.workingSetMiB(Duration.ofSeconds(150))).isEqualTo(300);
        assertThat(wave.workingSetMiB(Duration.ofSeconds(300))).isEqualTo(400);
        assertThat(wave.workingSetMiB(Duration.ofSeconds(600))).isEqualTo(200);
    }

    @Test
    void nonsenseCurvesAreRefused() {
        assertThatThrownBy(() -> new UsageCurve.Steady(-1, 0.2)).hasMessageContaining("workingSetMiB");
        assertThatThrownBy(() -> new UsageCurve.Ramp(0, 10, 0, 0, 0.2)).hasMessageContaining("overSeconds");
        assertThatThrownBy(() -> new UsageCurve.Wave(400, 200, 60, 0.2)).hasMessageContaining("maxMiB");
        assertThatThrownBy(() -> new UsageCurve.Steady(10, 85)).hasMessageContaining("cpuUsage");
    }

    @Test
    void aScenarioFileGivesEachGuestItsCurve(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("evening.json");
        Files.writeString(file, """
                {"guests": {
                  "xmpp-1": {"curve": "ramp", "fromMiB": 1000, "toMiB": 3000, "afterSeconds": 0,
                             "overSeconds": 100, "cpuUsage": 0.3},
                  "web-1":  {"curve": "steady", "workingSetMiB": 512, "cpuUsage": 0.1}}}
                """);
        Scenario scenario = Scenario.read(file);
        assertThat(scenario.guests()).containsOnlyKeys("xmpp-1", "web-1");

        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T18:00:00Z"));
        SimulatedWorkload workload = new SimulatedWorkload(scenario, clock);
        GuestState xmpp = guest("xmpp-1", 4096);
        assertThat(workload.loadOf(xmpp).workingSetMiB()).isEqualTo(1000);
        clock.advance(Duration.ofSeconds(50));
        assertThat(workload.loadOf(xmpp).workingSetMiB()).isEqualTo(2000);
        assertThat(workload.loadOf(guest("web-1", 1024)).workingSetMiB()).isEqualTo(512);
        // A guest without a curve uses half its memory; a load set by hand wins over the curve.
        assertThat(workload.loadOf(guest("db-1", 2048)).workingSetMiB()).isEqualTo(1024);
        workload.set("xmpp-1", new SimulatedWorkload.Load(3900, 0.9));
        assertThat(workload.loadOf(xmpp).workingSetMiB()).isEqualTo(3900);
    }

    @Test
    void aScenarioWithAnUnknownCurveOrFieldIsRefusedWithItsName(@TempDir Path dir) throws IOException {
        Path unknownCurve = dir.resolve("a.json");
        Files.writeString(unknownCurve, "{\"guests\": {\"x\": {\"curve\": \"zigzag\", \"cpuUsage\": 0.1}}}");
        assertThatThrownBy(() -> Scenario.read(unknownCurve)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("zigzag");
        Path typo = dir.resolve("b.json");
        Files.writeString(typo, "{\"guests\": {\"x\": {\"curve\": \"steady\", \"workingSetMb\": 5, \"cpuUsage\": 0.1}}}");
        assertThatThrownBy(() -> Scenario.read(typo)).hasMessageContaining("workingSetMb");
    }

    private static GuestState guest(String name, long memoryMiB) {
        return new GuestState(name, true, memoryMiB, 8192, 2, 8, GuestState.UNKNOWN, 0);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

}
