package dev.nuvola.agent.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.ResizeCommand;

/**
 * The guard on named cases. Host: 16384 MiB, 512 reserved, 8 CPUs. Guest "web": 2048 of 8192 MiB, using
 * 1000 MiB, 2 of 8 vCPUs. Other guests hold 4096 MiB and 2 vCPUs, so 16384 - 512 - 6144 = 9728 MiB and
 * 8 - 4 = 4 CPUs are free. Margin 128 MiB.
 */
class ResizeGuardTest {
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    static final Set<DriverCapability> ALL = Set.copyOf(EnumSet.allOf(DriverCapability.class));
    static final GuestState WEB = new GuestState("web", true, 2048, 8192, 2, 8, 1000, 0);

    static ResizeCommand memory(long target) {
        return command(target, null, NOW.plusSeconds(60));
    }

    static ResizeCommand command(Long memory, Integer vcpus, Instant deadline) {
        return new ResizeCommand("c-1", "web", "host-a", memory, vcpus, "test", "unit", NOW.minusSeconds(60),
                deadline, null);
    }

    static ResizeGuard.Context ctx(GuestState guest, GuestPolicy policy, long otherMemory, int otherVcpus,
                                   Set<DriverCapability> caps) {
        return new ResizeGuard.Context("host-a", NOW, Optional.ofNullable(guest), Optional.ofNullable(policy), 16384, 8,
                (guest == null ? 0 : guest.memoryMiB()) + otherMemory, (guest == null ? 0 : guest.vcpus()) + otherVcpus,
                512, 128, caps);
    }

    static ResizeGuard.Context ctx() {
        return ctx(WEB, null, 4096, 2, ALL);
    }

    static GuestPolicy policy(long minMemory, long maxMemory, int minVcpus, int maxVcpus) {
        return new GuestPolicy("web", minMemory, maxMemory, minVcpus, maxVcpus, 0.7, 0.6, 0, true, false, null, NOW);
    }

    static RejectReason reason(ResizeCommand command, ResizeGuard.Context ctx) {
        return ResizeGuard.check(command, ctx).reason();
    }

    @Test
    void aGrowWithinEveryLimitIsAllowed() {
        assertThat(ResizeGuard.check(command(3072L, 4, NOW.plusSeconds(60)), ctx()).allowed()).isTrue();
    }

    @Test
    void aGrowToExactlyTheHostsFreeMemoryIsAllowedAndOneMiBMoreIsNot() {
        assertThat(ResizeGuard.check(memory(2048 + 9728), ctx(new GuestState("web", true, 2048, 16384, 2, 8, 1000, 0),
                null, 4096, 2, ALL)).allowed()).isTrue();
        assertThat(reason(memory(2048 + 9729), ctx(new GuestState("web", true, 2048, 16384, 2, 8, 1000, 0),
                null, 4096, 2, ALL))).isEqualTo(RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }

    @Test
    void aGrowToExactlyTheHypervisorMaximumIsAllowedAndOneMiBMoreIsNot() {
        assertThat(ResizeGuard.check(memory(8192), ctx()).allowed()).isTrue();
        assertThat(reason(memory(8193), ctx())).isEqualTo(RejectReason.ABOVE_HYPERVISOR_MAX);
    }

    @Test
    void theReservedMemoryIsNeverHandedToAGuest() {
        // 16384 - 4096 (others) - 2048 = 10240 would fit without the reserve; 9728 is what is free with it
        assertThat(reason(memory(2048 + 10240), ctx(new GuestState("web", true, 2048, 16384, 2, 8, 1000, 0),
                null, 4096, 2, ALL))).isEqualTo(RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }

    @Test
    void aShrinkDownToUsePlusMarginIsAllowedAndOneMiBLessIsBelowUsage() {
        assertThat(ResizeGuard.check(memory(1128), ctx()).allowed()).isTrue();
        assertThat(reason(memory(1127), ctx())).isEqualTo(RejectReason.BELOW_USAGE);
    }

    @Test
    void aShrinkOfAGuestWithUnknownUsageIsBoundOnlyByThePolicy() {
        GuestState unmeasured = new GuestState("web", true, 2048, 8192, 2, 8, GuestState.UNKNOWN, 0);
        assertThat(ResizeGuard.check(memory(256), ctx(unmeasured, null, 4096, 2, ALL)).allowed()).isTrue();
        assertThat(reason(memory(256), ctx(unmeasured, policy(512, 8192, 1, 8), 4096, 2, ALL)))
                .isEqualTo(RejectReason.BELOW_POLICY_MIN);
    }

    @Test
    void theMarginAppliesToShrinksOnlyNotToAGuestAlreadyTight() {
        GuestState tight = new GuestState("web", true, 2048, 8192, 2, 8, 2000, 0);
        assertThat(ResizeGuard.check(memory(2048), ctx(tight, null, 4096, 2, ALL)).allowed()).isTrue();
        assertThat(ResizeGuard.check(memory(2100), ctx(tight, null, 4096, 2, ALL)).allowed()).isTrue();
    }

    @Test
    void aPolicyMaximumBelowTheTargetIsAbovePolicyMaxEvenWithinTheHypervisorMaximum() {
        assertThat(reason(memory(4096), ctx(WEB, policy(1024, 3072, 1, 8), 4096, 2, ALL)))
                .isEqualTo(RejectReason.ABOVE_POLICY_MAX);
        assertThat(reason(command(null, 6, NOW.plusSeconds(60)), ctx(WEB, policy(1024, 3072, 1, 4), 4096, 2, ALL)))
                .isEqualTo(RejectReason.ABOVE_POLICY_MAX);
    }

    @Test
    void aTargetBelowThePolicyMinimumIsBelowPolicyMin() {
        assertThat(reason(memory(1500), ctx(WEB, policy(1536, 8192, 1, 8), 4096, 2, ALL)))
                .isEqualTo(RejectReason.BELOW_POLICY_MIN);
        assertThat(reason(command(null, 1, NOW.plusSeconds(60)), ctx(WEB, policy(1024, 8192, 2, 8), 4096, 2, ALL)))
                .isEqualTo(RejectReason.BELOW_POLICY_MIN);
    }

    @Test
    void aCommandAtItsDeadlineIsAlreadyLate() {
        assertThat(reason(command(3072L, null, NOW), ctx())).isEqualTo(RejectReason.DEADLINE_PASSED);
        assertThat(reason(command(3072L, null, NOW.minusMillis(1)), ctx())).isEqualTo(RejectReason.DEADLINE_PASSED);
        assertThat(ResizeGuard.check(command(3072L, null, NOW.plusMillis(1)), ctx()).allowed()).isTrue();
    }

    @Test
    void aCommandForAnotherHostIsRefusedWhateverItAsks() {
        ResizeCommand other = new ResizeCommand("c-1", "web", "host-b", 3072L, null, "test", "unit",
                NOW.minusSeconds(60), NOW.plusSeconds(60), null);
        assertThat(reason(other, ctx())).isEqualTo(RejectReason.WRONG_HOST);
    }

    @Test
    void aMissingOrStoppedGuestIsNeverResized() {
        assertThat(reason(memory(3072), ctx(null, null, 4096, 2, ALL))).isEqualTo(RejectReason.GUEST_NOT_FOUND);
        GuestState stopped = new GuestState("web", false, 2048, 8192, 2, 8, GuestState.UNKNOWN, 0);
        assertThat(reason(memory(3072), ctx(stopped, null, 4096, 2, ALL))).isEqualTo(RejectReason.GUEST_NOT_RUNNING);
    }

    @Test
    void aDriverThatCannotChangeVcpusLiveRefusesAVcpuChangeButNotAnUnchangedCount() {
        Set<DriverCapability> memoryOnly = Set.of(DriverCapability.LIVE_MEMORY_GROW, DriverCapability.LIVE_MEMORY_SHRINK);
        assertThat(reason(command(null, 3, NOW.plusSeconds(60)), ctx(WEB, null, 4096, 2, memoryOnly)))
                .isEqualTo(RejectReason.UNSUPPORTED_LIVE);
        assertThat(ResizeGuard.check(command(3072L, 2, NOW.plusSeconds(60)), ctx(WEB, null, 4096, 2, memoryOnly))
                .allowed()).isTrue();
    }

    @Test
    void aDriverThatCannotShrinkLiveRefusesAShrink() {
        assertThat(reason(memory(1536), ctx(WEB, null, 4096, 2, Set.of(DriverCapability.LIVE_MEMORY_GROW))))
                .isEqualTo(RejectReason.UNSUPPORTED_LIVE);
    }

    @Test
    void vcpusBeyondTheGuestsMaximumOrTheHostsFreeCpusAreRefused() {
        assertThat(reason(command(null, 9, NOW.plusSeconds(60)), ctx(WEB, null, 0, 0, ALL)))
                .isEqualTo(RejectReason.ABOVE_HYPERVISOR_MAX);
        // 4 CPUs free: 2 -> 6 fits, 2 -> 7 does not
        assertThat(ResizeGuard.check(command(null, 6, NOW.plusSeconds(60)), ctx()).allowed()).isTrue();
        assertThat(reason(command(null, 7, NOW.plusSeconds(60)), ctx()))
                .isEqualTo(RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }

    @Test
    void theMemoryRuleIsReportedBeforeTheVcpuRuleWhenBothAreBroken() {
        assertThat(reason(command(8193L, 9, NOW.plusSeconds(60)), ctx())).isEqualTo(RejectReason.ABOVE_HYPERVISOR_MAX);
        assertThat(ResizeGuard.check(command(8193L, 9, NOW.plusSeconds(60)), ctx()).message()).contains("MiB");
    }

    /** A host can be overcommitted (guests changed outside Nuvola, a larger reserve): shrinking must stay possible. */
    @Test
    void aShrinkOnAnOvercommittedHostIsAllowedBecauseItFreesMemory() {
        ResizeGuard.Context overcommitted = ctx(WEB, null, 15000, 2, ALL); // free = 16384 - 512 - 17048 < 0
        assertThat(ResizeGuard.check(memory(1536), overcommitted).allowed()).isTrue();
        assertThat(ResizeGuard.check(memory(2048), overcommitted).allowed()).isTrue();
        assertThat(reason(memory(2049), overcommitted)).isEqualTo(RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }

    /** vCPU overcommit is common; a command that keeps or lowers the count does not need free CPUs. */
    @Test
    void keepingOrRemovingVcpusOnAnOvercommittedHostIsAllowed() {
        ResizeGuard.Context overcommitted = ctx(WEB, null, 4096, 10, ALL); // 12 vCPUs on 8 CPUs
        assertThat(ResizeGuard.check(command(3072L, 2, NOW.plusSeconds(60)), overcommitted).allowed()).isTrue();
        assertThat(ResizeGuard.check(command(null, 1, NOW.plusSeconds(60)), overcommitted).allowed()).isTrue();
        assertThat(reason(command(null, 3, NOW.plusSeconds(60)), overcommitted))
                .isEqualTo(RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }
}
