package dev.nuvola.migration.logic.placement;

import static dev.nuvola.migration.logic.placement.Hosts.LIVE;
import static dev.nuvola.migration.logic.placement.Hosts.host;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostState;

class DrainPlannerTest {
    private final Placer placer = Placer.standard();

    private static GuestToPlace onSrc(String id, long memoryMiB, int vcpus, String group) {
        return new GuestToPlace(id, new GuestSize(memoryMiB, vcpus), "src", LIVE, false, group, null);
    }

    private static GuestToPlace onSrc(String id, long memoryMiB, int vcpus) {
        return onSrc(id, memoryMiB, vcpus, null);
    }

    @Test
    void reservationsAccumulateSoNoTargetIsPromisedTwice() {
        // Each target takes exactly one 3 GiB guest: without accumulating, all three would go to "a".
        List<HostRoom> hosts = List.of(host("src", 0, 0).withState(HostState.DRAINING), host("a", 4096, 8),
                host("b", 3072, 8), host("c", 3500, 8));
        DrainPlanner.DrainPlan plan = DrainPlanner.plan(List.of(onSrc("g1", 3072, 1), onSrc("g2", 3072, 1),
                onSrc("g3", 3072, 1)), hosts, placer);
        assertThat(plan.fits()).isTrue();
        assertThat(plan.assignments()).extracting(DrainPlanner.Assignment::targetHostId)
                .containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void largestGuestsArePlacedFirst() {
        // Smallest first would put the 1 GiB guest on "a" (most room) and leave 3 GiB nowhere.
        List<HostRoom> hosts = List.of(host("a", 3072, 8), host("b", 1024, 8));
        DrainPlanner.DrainPlan plan = DrainPlanner.plan(List.of(onSrc("small", 1024, 1), onSrc("big", 3072, 1)),
                hosts, placer);
        assertThat(plan.fits()).isTrue();
        assertThat(plan.assignments()).containsExactly(
                new DrainPlanner.Assignment("big", new GuestSize(3072, 1), "a", dev.nuvola.events.MigrationMethod.LIVE),
                new DrainPlanner.Assignment("small", new GuestSize(1024, 1), "b", dev.nuvola.events.MigrationMethod.LIVE));
    }

    @Test
    void aGuestThatFitsNowhereRefusesThePlanWithTheReason() {
        List<HostRoom> hosts = List.of(host("a", 4096, 8), host("b", 2048, 8));
        DrainPlanner.DrainPlan plan = DrainPlanner.plan(List.of(onSrc("g1", 3072, 1), onSrc("g2", 3072, 1)),
                hosts, placer);
        assertThat(plan.fits()).isFalse();
        assertThat(plan.refusal()).isEqualTo("cannot evacuate 2 guests (placed 1 before): no host fits g2 (3072 MiB, "
                + "1 vCPUs): 2 hosts failed CapacityFilter (e.g. a: needs 3072 MiB, has 1024 MiB (4096 free, 3072 reserved))");
    }

    @Test
    void antiAffinityHoldsAcrossThePlan() {
        List<HostRoom> hosts = List.of(host("a", 60000, 60), host("b", 1024, 1));
        DrainPlanner.DrainPlan plan = DrainPlanner.plan(List.of(onSrc("db1", 1024, 1, "db"), onSrc("db2", 1024, 1, "db")),
                hosts, placer);
        assertThat(plan.assignments()).extracting(DrainPlanner.Assignment::targetHostId).containsExactlyInAnyOrder("a", "b");
        DrainPlanner.DrainPlan three = DrainPlanner.plan(List.of(onSrc("db1", 1024, 1, "db"), onSrc("db2", 1024, 1, "db"),
                onSrc("db3", 1024, 1, "db")), hosts, placer);
        assertThat(three.refusal()).contains("AntiAffinityFilter");
    }

    @Test
    void anEmptyHostNeedsNoMove() {
        assertThat(DrainPlanner.plan(List.of(), List.of(), placer).fits()).isTrue();
    }
}
