package dev.nuvola.migration.logic.placement;

import static dev.nuvola.migration.logic.placement.Hosts.LIVE;
import static dev.nuvola.migration.logic.placement.Hosts.SAVE_ONLY;
import static dev.nuvola.migration.logic.placement.Hosts.guest;
import static dev.nuvola.migration.logic.placement.Hosts.host;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;
import dev.nuvola.events.MigrationMethod;

class PlacerTest {
    private final Placer placer = Placer.standard();

    @Test
    void theHostWithTheMostRoomLeftWins() {
        Placement p = placer.place(guest("g", 2048, 2), List.of(host("a", 4096, 8), host("b", 16384, 8),
                host("c", 8192, 8)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("b");
        assertThat(p.method()).isEqualTo(MigrationMethod.LIVE);
        assertThat(p.reason()).startsWith("b: best of 3 candidates");
        assertThat(p.candidates()).extracting(Placement.Candidate::hostId).containsExactly("b", "c", "a");
        assertThat(p.candidates().get(0).chosen()).isTrue();
        assertThat(p.candidates().get(0).weights()).containsKeys("freeMemory", "balance", "recentFailures");
    }

    @Test
    void reservationsCountAsTaken() {
        HostRoom reserved = host("a", 8192, 8).reserve(new GuestSize(7000, 1), null);
        Placement p = placer.place(guest("g", 2048, 2), List.of(reserved, host("b", 3000, 8)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("b");
        Placement.Candidate a = p.candidates().stream().filter(c -> c.hostId().equals("a")).findFirst().orElseThrow();
        assertThat(a.passed()).isFalse();
        assertThat(a.failedFilter()).isEqualTo("CapacityFilter");
        assertThat(a.reason()).isEqualTo("needs 2048 MiB, has 1192 MiB (8192 free, 7000 reserved)");
    }

    @Test
    void vcpusAreCapacityToo() {
        Placement p = placer.place(guest("g", 1024, 4), List.of(host("a", 8192, 3)));
        assertThat(p.placed()).isFalse();
        assertThat(p.reason()).contains("needs 4 vCPUs, has 3 (3 free, 0 reserved)");
    }

    @Test
    void onlyActiveHostsTakeGuests() {
        Placement p = placer.place(guest("g", 1024, 1), List.of(host("a", 8192, 8).withState(HostState.DRAINING),
                host("b", 8192, 8).withState(HostState.DOWN)));
        assertThat(p.placed()).isFalse();
        assertThat(p.reason()).contains("2 hosts failed HostStateFilter").contains("host is DRAINING, not ACTIVE");
    }

    @Test
    void theSourceIsNeverACandidate() {
        Placement p = placer.place(guest("g", 1024, 1), List.of(host("src", 60000, 60), host("b", 2048, 2)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("b");
        assertThat(p.candidates().get(1).reason()).isEqualTo("the guest runs here already");
    }

    @Test
    void antiAffinityKeepsAGroupApart() {
        HostRoom withGroupMember = new HostRoom("a", HostState.ACTIVE, LIVE, 65536, 64, 60000, 60, 0, 0,
                Set.of("xmpp-cluster"), 0);
        GuestToPlace g = new GuestToPlace("xmpp-2", new GuestSize(1024, 1), "src", LIVE, false, "xmpp-cluster", null);
        Placement p = placer.place(g, List.of(withGroupMember, host("b", 2048, 2)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("b");
        assertThat(p.candidates().get(1).failedFilter()).isEqualTo("AntiAffinityFilter");
        // A reservation brings its group along: the next member of the group must go elsewhere.
        HostRoom b = host("b", 8192, 8).reserve(new GuestSize(1024, 1), "xmpp-cluster");
        assertThat(placer.place(g, List.of(b)).placed()).isFalse();
    }

    @Test
    void withoutLiveMigrationSaveRestoreIsUsed() {
        GuestToPlace g = new GuestToPlace("g", new GuestSize(1024, 1), "src", SAVE_ONLY, false, null, null);
        Placement p = placer.place(g, List.of(host("a", 8192, 8)));
        assertThat(p.method()).isEqualTo(MigrationMethod.SAVE_RESTORE);
    }

    @Test
    void aNeverRestartGuestMovesOnlyLiveAndIsRefusedWithTheReasonOtherwise() {
        GuestToPlace g = new GuestToPlace("g", new GuestSize(1024, 1), "src", SAVE_ONLY, true, null, null);
        Placement p = placer.place(g, List.of(host("a", 8192, 8)));
        assertThat(p.placed()).isFalse();
        assertThat(p.reason()).contains("MigrationMethodFilter")
                .contains("the guest is neverRestart: save/restore would stop it");
        HostRoom liveTargetSaveOnlySource = host("b", 8192, 8);
        assertThat(placer.place(g, List.of(liveTargetSaveOnlySource)).placed()).isFalse();
        GuestToPlace liveSource = new GuestToPlace("g", new GuestSize(1024, 1), "src", LIVE, true, null, null);
        assertThat(placer.place(liveSource, List.of(liveTargetSaveOnlySource)).method()).isEqualTo(MigrationMethod.LIVE);
    }

    @Test
    void aHostWithoutEitherMethodIsOut() {
        HostRoom noMove = new HostRoom("a", HostState.ACTIVE, Set.of(), 65536, 64, 60000, 60, 0, 0, Set.of(), 0);
        Placement p = placer.place(guest("g", 1024, 1), List.of(noMove));
        assertThat(p.reason()).contains("no live migration between the source's driver and the target's, nor save/restore");
    }

    @Test
    void recentFailuresSendGuestsElsewhere() {
        HostRoom failing = new HostRoom("a", HostState.ACTIVE, LIVE, 65536, 64, 9000, 8, 0, 0, Set.of(), 3);
        Placement p = placer.place(guest("g", 1024, 1), List.of(failing, host("b", 8192, 8)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("b");
    }

    @Test
    void balancePrefersTheEmptierHostOverTheBiggerOne() {
        // a: 16 GiB free of 64 (25 %); b: 12 GiB free of 16 (75 %). Free memory alone picks a; balance pulls to b.
        HostRoom big = new HostRoom("a", HostState.ACTIVE, LIVE, 65536, 64, 16384, 64, 0, 0, Set.of(), 0);
        HostRoom small = new HostRoom("b", HostState.ACTIVE, LIVE, 16384, 16, 12288, 16, 0, 0, Set.of(), 0);
        Placer balanceOnly = Placer.standard(new Placer.Multipliers(0, 1, 0));
        Placer memoryOnly = Placer.standard(new Placer.Multipliers(1, 0, 0));
        assertThat(balanceOnly.place(guest("g", 1024, 1), List.of(big, small)).chosen()).map(HostRoom::hostId).contains("b");
        assertThat(memoryOnly.place(guest("g", 1024, 1), List.of(big, small)).chosen()).map(HostRoom::hostId).contains("a");
    }

    @Test
    void anOperatorsTargetIsTheOnlyCandidate() {
        GuestToPlace g = new GuestToPlace("g", new GuestSize(1024, 1), "src", LIVE, false, null, "a");
        Placement p = placer.place(g, List.of(host("a", 2048, 2), host("b", 60000, 60)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("a");
        assertThat(p.candidates().get(1).reason()).isEqualTo("the request names a as the target");
    }

    @Test
    void tiesGoToTheSmallerHostId() {
        Placement p = placer.place(guest("g", 1024, 1), List.of(host("c", 8192, 8), host("a", 8192, 8),
                host("b", 8192, 8)));
        assertThat(p.chosen()).map(HostRoom::hostId).contains("a");
        assertThat(p.candidates()).allSatisfy(c -> assertThat(c.score()).isEqualTo(0.0));
    }

    @Test
    void noHostsIsSaid() {
        assertThat(placer.place(guest("g", 1, 1), List.of()).reason()).isEqualTo("no host fits g (1 MiB, 1 vCPUs): no hosts known");
    }

    @Test
    void aDryRunWithoutASourceAsksOnlyTheTarget() {
        GuestToPlace dry = GuestToPlace.dryRun(new GuestSize(1024, 1), false, null);
        HostRoom saveOnly = new HostRoom("a", HostState.ACTIVE, SAVE_ONLY, 65536, 64, 9000, 8, 0, 0, Set.of(), 0);
        assertThat(placer.place(dry, List.of(saveOnly)).method()).isEqualTo(MigrationMethod.SAVE_RESTORE);
        GuestToPlace dryNeverRestart = GuestToPlace.dryRun(new GuestSize(1024, 1), true, null);
        assertThat(placer.place(dryNeverRestart, List.of(saveOnly)).reason())
                .contains("the target's driver has no live migration, and the guest is neverRestart");
    }
}
