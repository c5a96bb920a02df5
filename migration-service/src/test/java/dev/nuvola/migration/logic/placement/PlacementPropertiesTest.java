package dev.nuvola.migration.logic.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;
import dev.nuvola.events.MigrationMethod;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** No placement, single or in a drain plan, ever exceeds a host's room once reservations are counted. */
class PlacementPropertiesTest {
    private static final Placer PLACER = Placer.standard();

    /** The same filters and weighers, wrapped so that Placer cannot take its inlined standard path. */
    private static final Placer THROUGH_INTERFACES = new Placer(
            Filter.STANDARD.stream().map(f -> Filter.of(f.name(), f::passes, f::why)).toList(),
            Weigher.STANDARD.stream().map(PlacementPropertiesTest::wrapped).toList(), new double[] {1.0, 1.0, 2.0});

    record Fleet(List<HostRoom> hosts) {
    }

    @Property(tries = 1_000)
    void theInlinedStandardPathDecidesAsTheFiltersAndWeighersDo(@ForAll("fleets") Fleet fleet,
                                                                @ForAll("guests") GuestToPlace guest) {
        Placement inlined = PLACER.place(guest, fleet.hosts());
        Placement generic = THROUGH_INTERFACES.place(guest, fleet.hosts());
        assertThat(inlined.chosenIndex()).isEqualTo(generic.chosenIndex());
        assertThat(inlined.reason()).isEqualTo(generic.reason());
        assertThat(inlined.candidates()).isEqualTo(generic.candidates());
    }

    private static Weigher wrapped(Weigher w) {
        return new Weigher() {
            public String name() {
                return w.name();
            }

            public double raw(GuestToPlace guest, HostRoom host) {
                return w.raw(guest, host);
            }
        };
    }

    @Property(tries = 10_000)
    void aPlacementNeverExceedsTheRoomLeftAfterReservations(@ForAll("fleets") Fleet fleet,
                                                            @ForAll("guests") GuestToPlace guest) {
        Placement p = PLACER.place(guest, fleet.hosts());
        assertThat(p.candidates()).hasSize(fleet.hosts().size());
        if (p.placed()) {
            HostRoom host = p.chosen().orElseThrow();
            assertThat(host.memoryAvailableMiB()).isGreaterThanOrEqualTo(guest.size().memoryMiB());
            assertThat(host.vcpusAvailable()).isGreaterThanOrEqualTo(guest.size().vcpus());
            assertThat(host.state()).isEqualTo(HostState.ACTIVE);
            assertThat(host.hostId()).isNotEqualTo(guest.sourceHostId());
            assertThat(guest.antiAffinityGroup() == null || !host.antiAffinityGroups().contains(guest.antiAffinityGroup()))
                    .isTrue();
            assertThat(p.method()).isNotNull();
            if (guest.neverRestart()) {
                assertThat(p.method()).isEqualTo(MigrationMethod.LIVE);
            }
            assertThat(p.candidates().stream().filter(Placement.Candidate::chosen)).hasSize(1);
            double best = p.candidates().get(0).score();
            assertThat(p.candidates().stream().filter(Placement.Candidate::passed))
                    .allSatisfy(c -> assertThat(c.score()).isLessThanOrEqualTo(best));
        } else {
            // Nothing chosen means nothing could have been: checked here without the filters' code.
            assertThat(fleet.hosts()).noneMatch(h -> fits(guest, h));
            assertThat(p.reason()).startsWith("no host fits " + guest.guestId());
        }
    }

    @Property(tries = 10_000)
    void aDrainPlanNeverPromisesMoreThanATargetHas(@ForAll("fleets") Fleet fleet,
                                                   @ForAll("drainedGuests") List<GuestToPlace> guests) {
        List<HostRoom> hosts = new ArrayList<>(fleet.hosts());
        DrainPlanner.DrainPlan plan = DrainPlanner.plan(guests, hosts, PLACER);
        if (!plan.fits()) {
            assertThat(plan.refusal()).contains("cannot evacuate").contains("no host fits");
            return;
        }
        assertThat(plan.assignments()).extracting(DrainPlanner.Assignment::guestId)
                .containsExactlyInAnyOrderElementsOf(guests.stream().map(GuestToPlace::guestId).toList());
        Map<String, HostRoom> byId = new HashMap<>();
        hosts.forEach(h -> byId.put(h.hostId(), h));
        Map<String, long[]> used = new HashMap<>();
        Map<String, Set<String>> groups = new HashMap<>();
        Map<String, GuestToPlace> guestById = new HashMap<>();
        guests.forEach(g -> guestById.put(g.guestId(), g));
        for (DrainPlanner.Assignment a : plan.assignments()) {
            HostRoom target = byId.get(a.targetHostId());
            GuestToPlace g = guestById.get(a.guestId());
            assertThat(target.state()).isEqualTo(HostState.ACTIVE);
            assertThat(target.hostId()).isNotEqualTo("src");
            long[] u = used.computeIfAbsent(target.hostId(), k -> new long[2]);
            u[0] += a.size().memoryMiB();
            u[1] += a.size().vcpus();
            assertThat(u[0]).isLessThanOrEqualTo(target.memoryAvailableMiB());
            assertThat(u[1]).isLessThanOrEqualTo(target.vcpusAvailable());
            if (g.antiAffinityGroup() != null) {
                assertThat(target.antiAffinityGroups()).doesNotContain(g.antiAffinityGroup());
                assertThat(groups.computeIfAbsent(target.hostId(), k -> new HashSet<>()).add(g.antiAffinityGroup()))
                        .as("two guests of group %s on %s", g.antiAffinityGroup(), target.hostId()).isTrue();
            }
            if (g.neverRestart()) {
                assertThat(a.method()).isEqualTo(MigrationMethod.LIVE);
            }
        }
    }

    private static boolean fits(GuestToPlace g, HostRoom h) {
        boolean live = h.capabilities().contains(Capability.LIVE_MIGRATION)
                && g.sourceCapabilities().contains(Capability.LIVE_MIGRATION);
        boolean save = h.capabilities().contains(Capability.SAVE_RESTORE)
                && g.sourceCapabilities().contains(Capability.SAVE_RESTORE);
        return h.state() == HostState.ACTIVE && !h.hostId().equals(g.sourceHostId())
                && h.memoryFreeMiB() - h.reservedMemoryMiB() >= g.size().memoryMiB()
                && h.vcpusFree() - h.reservedVcpus() >= g.size().vcpus()
                && (g.antiAffinityGroup() == null || !h.antiAffinityGroups().contains(g.antiAffinityGroup()))
                && (live || save && !g.neverRestart());
    }

    @Provide
    Arbitrary<Fleet> fleets() {
        return host().list().ofMinSize(0).ofMaxSize(16).map(list -> {
            List<HostRoom> hosts = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                HostRoom h = list.get(i);
                // "src" is the source of every generated guest: a drained host is DRAINING.
                String id = i == 0 ? "src" : "h" + i;
                hosts.add(new HostRoom(id, i == 0 ? HostState.DRAINING : h.state(), h.capabilities(),
                        h.memoryTotalMiB(), h.vcpusTotal(), h.memoryFreeMiB(), h.vcpusFree(), h.reservedMemoryMiB(),
                        h.reservedVcpus(), h.antiAffinityGroups(), h.recentFailures()));
            }
            return new Fleet(hosts);
        });
    }

    /** Fractions as whole percentages: cheaper to generate and shrink than doubles, and as good here. */
    private Arbitrary<HostRoom> host() {
        return Combinators.combine(Arbitraries.longs().between(0, 32768), Arbitraries.integers().between(0, 64),
                Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 120), capabilities(), groups(),
                Arbitraries.of(HostState.ACTIVE, HostState.ACTIVE, HostState.ACTIVE, HostState.DRAINING, HostState.DOWN),
                Arbitraries.integers().between(0, 3))
                .as((mem, cpu, freePercent, reservedPercent, caps, groups, state, failures) -> {
                    long free = mem * freePercent / 100;
                    int vfree = cpu * freePercent / 100;
                    // Up to 20 % over-reserved: a status older than the reservations can say so.
                    return new HostRoom("h", state, caps, mem, cpu, free, vfree, free * reservedPercent / 100,
                            vfree * reservedPercent / 100, groups, failures);
                });
    }

    private static Arbitrary<Set<Capability>> capabilities() {
        return Arbitraries.of(Capability.LIVE_MIGRATION, Capability.SAVE_RESTORE, Capability.LIVE_MEMORY_GROW)
                .set().ofMaxSize(3);
    }

    private static Arbitrary<Set<String>> groups() {
        return Arbitraries.of("db", "xmpp", "web").set().ofMaxSize(2);
    }

    @Provide
    Arbitrary<GuestToPlace> guests() {
        return Combinators.combine(Arbitraries.longs().between(0, 12000), Arbitraries.integers().between(0, 16),
                capabilities(), Arbitraries.of(true, false), Arbitraries.of("db", "xmpp", "web").injectNull(0.5))
                .as((memory, vcpus, caps, neverRestart, group) -> new GuestToPlace("g", new GuestSize(memory, vcpus),
                        "src", caps, neverRestart, group, null));
    }

    @Provide
    Arbitrary<List<GuestToPlace>> drainedGuests() {
        return guests().list().ofMaxSize(12).map(list -> {
            List<GuestToPlace> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                GuestToPlace g = list.get(i);
                named.add(new GuestToPlace("g" + i, g.size(), g.sourceHostId(), g.sourceCapabilities(),
                        g.neverRestart(), g.antiAffinityGroup(), null));
            }
            return named;
        });
    }

}
