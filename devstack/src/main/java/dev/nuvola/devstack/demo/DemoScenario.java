package dev.nuvola.devstack.demo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the demo plays once the platform is up: the fleet's policies, then (for {@code evening}) the chat server's
 * working set climbing as users come online. Played through the agents' simulation API, so it starts when the
 * policies are in place rather than when the agents started.
 *
 * @param ramp the load that climbs, if any
 */
public record DemoScenario(String name, String description, Optional<Ramp> ramp) {

    public static final List<String> NAMES = List.of("evening", "none");

    /** A working set climbing in a straight line, then flat; the CPU use stays the same. */
    public record Ramp(String guest, long fromMiB, long toMiB, Duration after, Duration over, double cpuUsage) {
        public Ramp {
            if (over.isNegative() || over.isZero()) {
                throw new IllegalArgumentException("a ramp must last, got " + over);
            }
        }

        public long workingSetMiB(Duration elapsed) {
            double share = (double) (elapsed.toMillis() - after.toMillis()) / over.toMillis();
            share = Math.max(0, Math.min(1, share));
            return Math.round(fromMiB + (toMiB - fromMiB) * share);
        }

        public Duration end() {
            return after.plus(over);
        }
    }

    /**
     * The evening: the chat server's working set climbs from 1000 to 4400 MiB. It grows live while its host has
     * room; when the host is full, a web front end moves away and the chat server keeps growing. 4400 MiB stays
     * inside the band of the 6 GiB its policy allows, so the story ends there.
     *
     * @param over how long the climb takes: three minutes in the demo, less in a test
     */
    public static DemoScenario evening(Duration over) {
        return new DemoScenario("evening", "evening traffic: " + DemoFleet.CHAT_SERVER + "'s working set climbs from"
                + " 1000 to 4400 MiB over " + over.toSeconds() + " s",
                Optional.of(new Ramp(DemoFleet.CHAT_SERVER, 1000, 4400, Duration.ofSeconds(5), over, 0.35)));
    }

    public static DemoScenario named(String name) {
        return switch (name) {
            case "evening" -> evening(Duration.ofMinutes(3));
            case "none" -> new DemoScenario("none", "no scenario: the loads are yours to set", Optional.empty());
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; choose one of "
                    + String.join(", ", NAMES));
        };
    }
}
