package dev.nuvola.scaler.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;

class FleetTablesTest {
    private static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

    @Test
    void aNewStatusUpdatesTheListingAndKeepsUnchangedGuestsAsTheObjectsAlreadyHeld() {
        FleetTables tables = new FleetTables();
        HostGuest a = new HostGuest("a", 1024, 4096, 1, 4);
        HostGuest b = new HostGuest("b", 2048, 4096, 2, 4);
        tables.put(status(T0, List.of(a, b)));

        HostGuest sameA = new HostGuest("a", 1024, 4096, 1, 4);
        HostGuest grownB = new HostGuest("b", 3072, 4096, 2, 4);
        HostGuest c = new HostGuest("c", 512, 1024, 1, 1);
        tables.put(status(T0.plusSeconds(1), List.of(sameA, grownB, c)));

        assertThat(tables.listing("h1", "a")).isSameAs(a);
        assertThat(tables.listing("h1", "b")).isSameAs(grownB);
        assertThat(tables.listing("h1", "c")).isSameAs(c);
        HostStatus held = tables.host("h1").orElseThrow();
        assertThat(held.observedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(held.guests()).containsExactly(a, grownB, c);
        assertThat(held.guests().get(0)).isSameAs(a);
        assertThat(tables.hostOf("c")).contains(held);
    }

    @Test
    void aGuestThatLeftTheHostIsNoLongerListed() {
        FleetTables tables = new FleetTables();
        List<HostGuest> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(new HostGuest("g" + i, 1024, 4096, 1, 4));
        }
        tables.put(status(T0, many));
        tables.put(status(T0.plusSeconds(1), many.subList(10, 50)));

        assertThat(tables.listing("h1", "g3")).isNull();
        assertThat(tables.listing("h1", "g10")).isSameAs(many.get(10));
        assertThat(tables.hostOf("g3")).isEmpty();
        assertThat(tables.host("h1").orElseThrow().guests()).hasSize(40);
    }

    @Test
    void aLateOlderStatusChangesNothing() {
        FleetTables tables = new FleetTables();
        HostGuest fresh = new HostGuest("a", 2048, 4096, 1, 4);
        tables.put(status(T0.plusSeconds(5), List.of(fresh)));
        tables.put(status(T0, List.of(new HostGuest("a", 1024, 4096, 1, 4), new HostGuest("z", 1024, 4096, 1, 4))));

        assertThat(tables.listing("h1", "a")).isSameAs(fresh);
        assertThat(tables.listing("h1", "z")).isNull();
        assertThat(tables.host("h1").orElseThrow().observedAt()).isEqualTo(T0.plusSeconds(5));
    }

    private static HostStatus status(Instant at, List<HostGuest> guests) {
        return new HostStatus("h1", at, HostState.ACTIVE, "::1", "libvirt", Set.of(), 65536, 1024, 32, 8, guests);
    }
}
