package dev.nuvola.scaler.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HeadroomPlannerTest {

    @Test
    void aGrowThatFitsIsAResize() {
        HostStatus host = host(1024, 4, guest("xmpp", 2048, 2), guest("web", 1024, 1));
        GrowPlan plan = HeadroomPlanner.plan("xmpp", size(2048, 2), size(2560, 2), host, 0, 0, Map.of());
        assertThat(plan).isInstanceOf(GrowPlan.Resize.class);
    }

    @Test
    void commandsInFlightTakeTheirShareFirst() {
        HostStatus host = host(1024, 4, guest("xmpp", 2048, 2));
        GrowPlan plan = HeadroomPlanner.plan("xmpp", size(2048, 2), size(2560, 2), host, 768, 0,
                Map.of("xmpp", policy("xmpp", 10, false)));
        assertThat(plan).isInstanceOf(GrowPlan.Refuse.class);
        assertThat(plan.reason()).contains("short of 256 MiB");
    }

    @Test
    void aMovableGuestWithoutRoomMovesItself() {
        HostStatus host = host(256, 4, guest("web", 2048, 2));
        GrowPlan plan = HeadroomPlanner.plan("web", size(2048, 2), size(2560, 2), host, 0, 0, Map.of());
        assertThat(plan).isEqualTo(new GrowPlan.MoveGuest(size(2560, 2), plan.reason()));
    }

    @Test
    void aGuestThatStaysMakesRoomByMovingItsLowestPriorityNeighboursFirst() {
        HostStatus host = host(0, 8, guest("xmpp", 4096, 2), guest("web", 1024, 1), guest("mail", 512, 1),
                guest("db", 2048, 2));
        Map<String, GuestPolicy> policies = Map.of(
                "xmpp", policy("xmpp", 100, false),
                "web", policy("web", 10, true),
                "mail", policy("mail", 5, true),
                "db", policy("db", 200, true));
        GrowPlan plan = HeadroomPlanner.plan("xmpp", size(4096, 2), size(5120, 2), host, 0, 0, policies);
        // mail (priority 5) goes first but frees 512 MiB; web (10) adds 1024; db outranks xmpp and stays.
        assertThat(plan).isInstanceOf(GrowPlan.MakeRoom.class);
        assertThat(((GrowPlan.MakeRoom) plan).neighbours()).containsExactly("mail", "web");
    }

    @Test
    void whenNeighboursCannotFreeEnoughItSaysSo() {
        HostStatus host = host(0, 8, guest("xmpp", 4096, 2), guest("mail", 512, 1));
        GrowPlan plan = HeadroomPlanner.plan("xmpp", size(4096, 2), size(6144, 2), host, 0, 0,
                Map.of("xmpp", policy("xmpp", 100, false), "mail", policy("mail", 5, true)));
        assertThat(plan).isInstanceOf(GrowPlan.Refuse.class);
        assertThat(plan.reason()).contains("would free only 512 MiB");
    }

    @Property(tries = 5000)
    void everyPlanKeepsTheRules(@ForAll("scenarios") Scenario s) {
        GrowPlan plan = HeadroomPlanner.plan("g0", s.current(), s.target(), s.host(), s.inFlightMemory(), 0,
                s.policies());
        long need = Math.max(0, s.target().memoryMiB() - s.current().memoryMiB());
        long free = s.host().memoryFreeMiB() - s.inFlightMemory();
        GuestPolicy own = s.policies().get("g0");
        if (plan instanceof GrowPlan.Resize) {
            assertThat(need).isLessThanOrEqualTo(free);
        } else if (plan instanceof GrowPlan.MoveGuest) {
            assertThat(need).isGreaterThan(free);
            assertThat(own.migratable()).isTrue();
        } else if (plan instanceof GrowPlan.MakeRoom room) {
            assertThat(need).isGreaterThan(free);
            assertThat(own.migratable()).isFalse();
            assertThat(room.neighbours()).doesNotContain("g0").doesNotHaveDuplicates();
            long freed = 0;
            for (String n : room.neighbours()) {
                GuestPolicy p = s.policies().get(n);
                assertThat(p.migratable()).isTrue();
                assertThat(p.priority()).isLessThan(own.priority());
                freed += s.host().guests().stream().filter(g -> g.guestId().equals(n)).findFirst().orElseThrow()
                        .memoryMiB();
            }
            assertThat(freed).isGreaterThanOrEqualTo(need - free);
        } else {
            assertThat(plan).isInstanceOf(GrowPlan.Refuse.class);
            assertThat(need).isGreaterThan(free);
            assertThat(own.migratable()).isFalse();
            long movable = s.host().guests().stream().filter(g -> !g.guestId().equals("g0"))
                    .filter(g -> s.policies().get(g.guestId()).migratable()
                            && s.policies().get(g.guestId()).priority() < own.priority())
                    .mapToLong(HostGuest::memoryMiB).sum();
            assertThat(movable).isLessThan(need - free);
        }
    }

    record Scenario(HostStatus host, GuestSize current, GuestSize target, long inFlightMemory,
                    Map<String, GuestPolicy> policies) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<long[]>> neighbours = Combinators.combine(
                        Arbitraries.longs().between(128, 8192), Arbitraries.integers().between(0, 20),
                        Arbitraries.of(true, false))
                .as((mem, prio, movable) -> new long[]{mem, prio, movable ? 1 : 0}).list().ofMaxSize(8);
        return Combinators.combine(neighbours, Arbitraries.longs().between(256, 8192),
                        Arbitraries.longs().between(0, 8192), Arbitraries.longs().between(0, 16384),
                        Arbitraries.longs().between(0, 4096), Arbitraries.integers().between(0, 20), Arbitraries.of(true, false))
                .as((others, current, grow, free, inFlight, prio, movable) -> {
                    List<HostGuest> guests = new ArrayList<>(List.of(guest("g0", current, 2)));
                    Map<String, GuestPolicy> policies = new HashMap<>(Map.of("g0", policy("g0", prio, movable)));
                    for (int i = 0; i < others.size(); i++) {
                        long[] n = others.get(i);
                        guests.add(guest("n" + i, n[0], 1));
                        policies.put("n" + i, policy("n" + i, (int) n[1], n[2] == 1));
                    }
                    return new Scenario(host(free, 64, guests.toArray(HostGuest[]::new)), size(current, 2),
                            size(current + grow, 2), Math.min(inFlight, free), policies);
                });
    }

    static HostStatus host(long freeMiB, int freeVcpus, HostGuest... guests) {
        long total = 1 << 20;
        return new HostStatus("h1", Instant.now(), HostState.ACTIVE, "::1", "libvirt", Set.of(), total,
                Math.min(freeMiB, total), 256, freeVcpus, List.of(guests));
    }

    static HostGuest guest(String id, long memoryMiB, int vcpus) {
        return new HostGuest(id, memoryMiB, 65536, vcpus, 64);
    }

    static GuestSize size(long memoryMiB, int vcpus) {
        return new GuestSize(memoryMiB, vcpus);
    }

    static GuestPolicy policy(String id, int priority, boolean migratable) {
        return new GuestPolicy(id, 256, 65536, 1, 64, 0.75, 0.7, priority, migratable, false, null, Instant.EPOCH);
    }
}
