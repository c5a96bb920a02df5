package dev.nuvola.agent.logic;

import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_GROW;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_SHRINK;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_VCPU;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.events.Check;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.ResizeCommand;

/**
 * SPEC safety rule 1, proved on the agent's guard over random hosts, guests, policies, capabilities and
 * commands.
 *
 * <ul>
 *   <li>Soundness: whatever the guard allows respects every rule, checked by an independent oracle
 *       ({@link #violations}) written from SPEC's wording, not from the guard's code.</li>
 *   <li>Completeness: a command that breaks no rule is allowed, and a refusal always names a rule the
 *       command really breaks.</li>
 *   <li>Precision: starting from a command that is certainly allowed, breaking exactly one rule gives that
 *       rule's {@link RejectReason}.</li>
 * </ul>
 */
class ResizeGuardPropertyTest {

    static final String HOST = "h-1";
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    /** One call of the guard: a command and what the agent knows when it applies it. */
    record Scenario(ResizeCommand command, ResizeGuard.Context ctx) {
        ResizeGuard.Verdict verdict() {
            return ResizeGuard.check(command, ctx);
        }

        GuestState guest() {
            return ctx.guest().orElseThrow();
        }

        long target() {
            return command.targetMemoryMiB();
        }

        int targetVcpus() {
            return command.targetVcpus();
        }

        long freeMemory() {
            return ctx.hostMemoryMiB() - ctx.memoryReserveMiB() - ctx.allocatedMemoryMiB();
        }

        Scenario with(ResizeGuard.Context c) {
            return new Scenario(command, c);
        }

        Scenario with(ResizeCommand c) {
            return new Scenario(c, ctx);
        }

        Scenario withGuest(GuestState g) {
            return with(context(ctx, Optional.of(g), ctx.policy(), ctx.hostMemoryMiB(), ctx.allocatedMemoryMiB(),
                    ctx.hostCpus(), ctx.allocatedVcpus(), ctx.capabilities(), ctx.now()));
        }

        Scenario withPolicy(GuestPolicy p) {
            return with(context(ctx, ctx.guest(), Optional.of(p), ctx.hostMemoryMiB(), ctx.allocatedMemoryMiB(),
                    ctx.hostCpus(), ctx.allocatedVcpus(), ctx.capabilities(), ctx.now()));
        }

        /** The policy in force, or one wide enough to constrain nothing. */
        GuestPolicy policyOrWide() {
            return ctx.policy().orElse(policy(1, Check.MAX_MIB, 1, Check.MAX_VCPUS));
        }
    }

    // ---- the oracle: SPEC's rules, independently of the guard ---------------------------------------

    /** Every rule the command breaks in this context; empty when applying it is safe. */
    static Set<RejectReason> violations(ResizeCommand command, ResizeGuard.Context ctx) {
        Set<RejectReason> broken = EnumSet.noneOf(RejectReason.class);
        if (!command.hostId().equals(ctx.hostId())) {
            broken.add(RejectReason.WRONG_HOST);
        }
        if (!command.deadline().isAfter(ctx.now())) {
            broken.add(RejectReason.DEADLINE_PASSED);
        }
        if (ctx.guest().isEmpty()) {
            broken.add(RejectReason.GUEST_NOT_FOUND);
            return broken;
        }
        GuestState g = ctx.guest().get();
        if (!g.running()) {
            broken.add(RejectReason.GUEST_NOT_RUNNING);
        }
        Long memory = command.targetMemoryMiB();
        if (memory != null) {
            long growth = memory - g.memoryMiB();
            long free = ctx.hostMemoryMiB() - ctx.memoryReserveMiB() - ctx.allocatedMemoryMiB();
            ctx.policy().ifPresent(p -> {
                if (memory > p.maxMemoryMiB()) {
                    broken.add(RejectReason.ABOVE_POLICY_MAX);
                }
                if (memory < p.minMemoryMiB()) {
                    broken.add(RejectReason.BELOW_POLICY_MIN);
                }
            });
            if (memory > g.maxMemoryMiB()) {
                broken.add(RejectReason.ABOVE_HYPERVISOR_MAX);
            }
            if (growth > 0 && growth > free) {
                broken.add(RejectReason.INSUFFICIENT_HOST_CAPACITY);
            }
            if (growth < 0 && g.usedMiB() >= 0 && memory < g.usedMiB() + ctx.usageMarginMiB()) {
                broken.add(RejectReason.BELOW_USAGE);
            }
            if (growth > 0 && !ctx.capabilities().contains(LIVE_MEMORY_GROW)
                    || growth < 0 && !ctx.capabilities().contains(LIVE_MEMORY_SHRINK)) {
                broken.add(RejectReason.UNSUPPORTED_LIVE);
            }
        }
        Integer vcpus = command.targetVcpus();
        if (vcpus != null) {
            int growth = vcpus - g.vcpus();
            int free = ctx.hostCpus() - ctx.allocatedVcpus();
            ctx.policy().ifPresent(p -> {
                if (vcpus > p.maxVcpus()) {
                    broken.add(RejectReason.ABOVE_POLICY_MAX);
                }
                if (vcpus < p.minVcpus()) {
                    broken.add(RejectReason.BELOW_POLICY_MIN);
                }
            });
            if (vcpus > g.maxVcpus()) {
                broken.add(RejectReason.ABOVE_HYPERVISOR_MAX);
            }
            if (growth > 0 && growth > free) {
                broken.add(RejectReason.INSUFFICIENT_HOST_CAPACITY);
            }
            if (growth != 0 && !ctx.capabilities().contains(LIVE_VCPU)) {
                broken.add(RejectReason.UNSUPPORTED_LIVE);
            }
        }
        return broken;
    }

    // ---- properties ----------------------------------------------------------------------------------

    /** The heart of SPEC rule 1: nothing the guard lets through breaks a rule. */
    @Property(tries = 10000)
    void whateverTheGuardAllowsRespectsEverySafetyRule(@ForAll("anyScenario") Scenario s) {
        ResizeGuard.Verdict verdict = s.verdict();
        Statistics.label("verdict").collect(verdict.allowed() ? "ALLOWED" : verdict.reason().name())
                .coverage(c -> {
                    c.check("ALLOWED").percentage(p -> p >= 10);
                    for (RejectReason reason : RejectReason.values()) {
                        c.check(reason.name()).count(n -> n > 0);
                    }
                });
        if (!verdict.allowed()) {
            return;
        }
        ResizeCommand cmd = s.command();
        ResizeGuard.Context ctx = s.ctx();
        assertThat(cmd.hostId()).as("host").isEqualTo(ctx.hostId());
        assertThat(ctx.now()).as("deadline not passed").isBefore(cmd.deadline());
        assertThat(ctx.guest()).as("guest present").isPresent();
        GuestState g = s.guest();
        assertThat(g.running()).as("guest running").isTrue();
        if (cmd.targetMemoryMiB() != null) {
            long t = cmd.targetMemoryMiB();
            long growth = t - g.memoryMiB();
            ctx.policy().ifPresent(p -> {
                assertThat(t).as("memory <= policy max").isLessThanOrEqualTo(p.maxMemoryMiB());
                assertThat(t).as("memory >= policy min").isGreaterThanOrEqualTo(p.minMemoryMiB());
            });
            assertThat(t).as("memory <= hypervisor max").isLessThanOrEqualTo(g.maxMemoryMiB());
            if (growth > 0) {
                assertThat(growth).as("growth <= host free").isLessThanOrEqualTo(s.freeMemory());
                assertThat(ctx.capabilities()).as("live grow").contains(LIVE_MEMORY_GROW);
            }
            if (growth < 0) {
                assertThat(ctx.capabilities()).as("live shrink").contains(LIVE_MEMORY_SHRINK);
                if (g.hasUsage()) {
                    assertThat(t).as("shrink >= used + margin")
                            .isGreaterThanOrEqualTo(g.usedMiB() + ctx.usageMarginMiB());
                }
            }
        }
        if (cmd.targetVcpus() != null) {
            int t = cmd.targetVcpus();
            int growth = t - g.vcpus();
            ctx.policy().ifPresent(p -> {
                assertThat(t).as("vcpus <= policy max").isLessThanOrEqualTo(p.maxVcpus());
                assertThat(t).as("vcpus >= policy min").isGreaterThanOrEqualTo(p.minVcpus());
            });
            assertThat(t).as("vcpus <= hypervisor max").isLessThanOrEqualTo(g.maxVcpus());
            if (growth > 0) {
                assertThat(growth).as("vcpu growth <= free cpus")
                        .isLessThanOrEqualTo(ctx.hostCpus() - ctx.allocatedVcpus());
            }
            if (growth != 0) {
                assertThat(ctx.capabilities()).as("live vcpu").contains(LIVE_VCPU);
            }
        }
    }

    /** The other direction: the guard refuses only what breaks a rule, and names a rule that is broken. */
    @Property(tries = 10000)
    void theGuardRefusesExactlyWhatBreaksARuleAndNamesABrokenRule(@ForAll("anyScenario") Scenario s) {
        ResizeGuard.Verdict verdict = s.verdict();
        Set<RejectReason> broken = violations(s.command(), s.ctx());
        if (broken.isEmpty()) {
            assertThat(verdict.allowed()).as("nothing broken, yet refused: %s", verdict).isTrue();
        } else {
            assertThat(verdict.allowed()).as("refusal expected for %s", broken).isFalse();
            assertThat(broken).as("the reason given is a broken rule").contains(verdict.reason());
            assertThat(verdict.message()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void aCommandWithinEveryRuleIsAllowed(@ForAll("validScenario") Scenario s) {
        assertThat(violations(s.command(), s.ctx())).isEmpty();
        assertThat(s.verdict().allowed()).as("%s", s.verdict()).isTrue();
    }

    @Property(tries = 1000)
    void aCommandForAnotherHostIsWrongHost(@ForAll("validScenario") Scenario s) {
        Scenario broken = s.with(command(s.command().guestId(), "h-2", s.command().targetMemoryMiB(),
                s.command().targetVcpus(), s.command().deadline()));
        assertReason(broken, RejectReason.WRONG_HOST);
    }

    @Property(tries = 1000)
    void aCommandAtOrPastItsDeadlineIsDeadlinePassed(@ForAll("validScenario") Scenario s,
                                                     @ForAll("lateness") Duration late) {
        ResizeGuard.Context c = s.ctx();
        assertReason(s.with(context(c, c.guest(), c.policy(), c.hostMemoryMiB(), c.allocatedMemoryMiB(), c.hostCpus(),
                c.allocatedVcpus(), c.capabilities(), s.command().deadline().plus(late))), RejectReason.DEADLINE_PASSED);
    }

    @Property(tries = 1000)
    void aGuestNotOnTheHostIsGuestNotFound(@ForAll("validScenario") Scenario s) {
        ResizeGuard.Context c = s.ctx();
        assertReason(s.with(context(c, Optional.empty(), c.policy(), c.hostMemoryMiB(), c.allocatedMemoryMiB(),
                c.hostCpus(), c.allocatedVcpus(), c.capabilities(), c.now())), RejectReason.GUEST_NOT_FOUND);
    }

    @Property(tries = 1000)
    void aStoppedGuestIsGuestNotRunning(@ForAll("validScenario") Scenario s) {
        GuestState g = s.guest();
        assertReason(s.withGuest(new GuestState(g.name(), false, g.memoryMiB(), g.maxMemoryMiB(), g.vcpus(),
                g.maxVcpus(), g.usedMiB(), g.cpuTimeNanos())), RejectReason.GUEST_NOT_RUNNING);
    }

    @Property(tries = 1000)
    void memoryAboveThePolicyMaximumIsAbovePolicyMax(@ForAll("validScenario") Scenario s,
                                                     @ForAll("fraction") double where) {
        if (s.command().targetMemoryMiB() == null || s.target() < 2) {
            return;
        }
        GuestPolicy p = s.policyOrWide();
        long max = between(1, s.target() - 1, where);
        assertReason(s.withPolicy(policy(Math.min(p.minMemoryMiB(), max), max, p.minVcpus(), p.maxVcpus())),
                RejectReason.ABOVE_POLICY_MAX);
    }

    @Property(tries = 1000)
    void memoryBelowThePolicyMinimumIsBelowPolicyMin(@ForAll("validScenario") Scenario s,
                                                     @ForAll("fraction") double where) {
        if (s.command().targetMemoryMiB() == null) {
            return;
        }
        GuestPolicy p = s.policyOrWide();
        long min = between(s.target() + 1, s.target() + 65536, where);
        assertReason(s.withPolicy(policy(min, Math.max(p.maxMemoryMiB(), min), p.minVcpus(), p.maxVcpus())),
                RejectReason.BELOW_POLICY_MIN);
    }

    @Property(tries = 1000)
    void growingPastTheHypervisorMaximumIsAboveHypervisorMax(@ForAll("memoryGrow") Scenario s,
                                                             @ForAll("fraction") double where) {
        GuestState g = s.guest();
        long max = between(g.memoryMiB(), s.target() - 1, where);
        assertReason(s.withGuest(new GuestState(g.name(), true, g.memoryMiB(), max, g.vcpus(), g.maxVcpus(),
                g.usedMiB(), g.cpuTimeNanos())), RejectReason.ABOVE_HYPERVISOR_MAX);
    }

    @Property(tries = 1000)
    void growingBeyondTheHostsFreeMemoryIsInsufficientHostCapacity(@ForAll("memoryGrow") Scenario s,
                                                                   @ForAll("fraction") double where) {
        ResizeGuard.Context c = s.ctx();
        long growth = s.target() - s.guest().memoryMiB();
        // free = host - reserve - allocated becomes anything from growth - 1 down to well below zero
        long allocated = c.hostMemoryMiB() - c.memoryReserveMiB() - growth + between(1, growth + 4096, where);
        assertReason(s.with(context(c, c.guest(), c.policy(), c.hostMemoryMiB(), allocated, c.hostCpus(),
                c.allocatedVcpus(), c.capabilities(), c.now())), RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }

    @Property(tries = 1000)
    void growingWithoutLiveGrowIsUnsupportedLive(@ForAll("memoryGrow") Scenario s) {
        ResizeGuard.Context c = s.ctx();
        Set<DriverCapability> caps = EnumSet.allOf(DriverCapability.class);
        caps.remove(LIVE_MEMORY_GROW);
        assertReason(s.with(context(c, c.guest(), c.policy(), c.hostMemoryMiB(), c.allocatedMemoryMiB(), c.hostCpus(),
                c.allocatedVcpus(), caps, c.now())), RejectReason.UNSUPPORTED_LIVE);
    }

    @Property(tries = 1000)
    void shrinkingBelowUsePlusMarginIsBelowUsage(@ForAll("memoryShrink") Scenario s,
                                                 @ForAll("fraction") double where) {
        GuestState g = s.guest();
        long margin = s.ctx().usageMarginMiB();
        long used = between(Math.max(0, s.target() - margin + 1), g.memoryMiB(), where);
        assertReason(s.withGuest(new GuestState(g.name(), true, g.memoryMiB(), g.maxMemoryMiB(), g.vcpus(),
                g.maxVcpus(), used, g.cpuTimeNanos())), RejectReason.BELOW_USAGE);
    }

    @Property(tries = 1000)
    void shrinkingWithoutLiveShrinkIsUnsupportedLive(@ForAll("memoryShrink") Scenario s) {
        ResizeGuard.Context c = s.ctx();
        Set<DriverCapability> caps = EnumSet.allOf(DriverCapability.class);
        caps.remove(LIVE_MEMORY_SHRINK);
        assertReason(s.with(context(c, c.guest(), c.policy(), c.hostMemoryMiB(), c.allocatedMemoryMiB(), c.hostCpus(),
                c.allocatedVcpus(), caps, c.now())), RejectReason.UNSUPPORTED_LIVE);
    }

    @Property(tries = 1000)
    void addingVcpusPastTheHypervisorMaximumIsAboveHypervisorMax(@ForAll("vcpuGrow") Scenario s,
                                                                  @ForAll("fraction") double where) {
        GuestState g = s.guest();
        int max = (int) between(g.vcpus(), s.targetVcpus() - 1, where);
        assertReason(s.withGuest(new GuestState(g.name(), true, g.memoryMiB(), g.maxMemoryMiB(), g.vcpus(), max,
                g.usedMiB(), g.cpuTimeNanos())), RejectReason.ABOVE_HYPERVISOR_MAX);
    }

    @Property(tries = 1000)
    void addingMoreVcpusThanTheHostHasFreeIsInsufficientHostCapacity(@ForAll("vcpuGrow") Scenario s,
                                                                     @ForAll("fraction") double where) {
        ResizeGuard.Context c = s.ctx();
        int growth = s.targetVcpus() - s.guest().vcpus();
        int allocated = c.hostCpus() - growth + (int) between(1, growth + 16, where);
        assertReason(s.with(context(c, c.guest(), c.policy(), c.hostMemoryMiB(), c.allocatedMemoryMiB(), c.hostCpus(),
                allocated, c.capabilities(), c.now())), RejectReason.INSUFFICIENT_HOST_CAPACITY);
    }

    @Property(tries = 1000)
    void vcpusAboveThePolicyMaximumIsAbovePolicyMax(@ForAll("vcpuGrow") Scenario s, @ForAll("fraction") double where) {
        GuestPolicy p = s.policyOrWide();
        int max = (int) between(1, s.targetVcpus() - 1, where);
        assertReason(s.withPolicy(policy(p.minMemoryMiB(), p.maxMemoryMiB(), Math.min(p.minVcpus(), max), max)),
                RejectReason.ABOVE_POLICY_MAX);
    }

    @Property(tries = 1000)
    void changingVcpusWithoutLiveVcpuIsUnsupportedLive(@ForAll("vcpuGrow") Scenario s) {
        ResizeGuard.Context c = s.ctx();
        Set<DriverCapability> caps = EnumSet.allOf(DriverCapability.class);
        caps.remove(LIVE_VCPU);
        assertReason(s.with(context(c, c.guest(), c.policy(), c.hostMemoryMiB(), c.allocatedMemoryMiB(), c.hostCpus(),
                c.allocatedVcpus(), caps, c.now())), RejectReason.UNSUPPORTED_LIVE);
    }

    static void assertReason(Scenario s, RejectReason expected) {
        assertThat(violations(s.command(), s.ctx())).as("the mutation breaks exactly one rule").containsExactly(expected);
        ResizeGuard.Verdict verdict = s.verdict();
        assertThat(verdict.allowed()).as("refused: %s", s).isFalse();
        assertThat(verdict.reason()).as("%s", verdict.message()).isEqualTo(expected);
        assertThat(verdict.message()).isNotBlank();
    }

    // ---- generators ----------------------------------------------------------------------------------
    //
    // Dependent values (a target within the guest's maximum, a usage within its size) are drawn as shares
    // of their range rather than with flatMap: as fast as independent values, and they shrink as well.

    /** Positions within ranges: 0.0 is the low end, 1.0 the high end (both edge cases). */
    static Arbitrary<double[]> shares(int n) {
        return Arbitraries.doubles().between(0, 1).edgeCases(e -> e.includeOnly(0.0, 1.0))
                .array(double[].class).ofSize(n);
    }

    /** Any scenario: consistent guests, hosts from roomy to overcommitted, targets in and out of every bound. */
    @Provide
    Arbitrary<Scenario> anyScenario() {
        Arbitrary<long[]> guestSizes = Combinators.combine(
                Arbitraries.longs().between(128, 65536).edgeCases(e -> e.includeOnly(128L, 65536L)),
                Arbitraries.integers().between(1, 64),
                Arbitraries.frequency(Tuple.of(9, 1), Tuple.of(1, 0)), // running
                Arbitraries.frequency(Tuple.of(4, 1), Tuple.of(1, 0))  // usage known
        ).as((maxMem, maxV, running, usageKnown) -> new long[] {maxMem, maxV, running, usageKnown});
        Arbitrary<long[]> host = Combinators.combine(
                Arbitraries.longs().between(0, 32768),  // other guests' memory
                Arbitraries.longs().between(-4096, 65536), // free memory
                Arbitraries.integers().between(0, 64),  // other guests' vCPUs
                Arbitraries.integers().between(-8, 64), // free CPUs
                Arbitraries.longs().between(0, 2048).edgeCases(e -> e.includeOnly(0L, 512L)), // reserve
                Arbitraries.longs().between(0, 512).edgeCases(e -> e.includeOnly(0L, 128L))   // margin
        ).as((otherMem, freeMem, otherV, freeV, reserve, margin) ->
                new long[] {otherMem, freeMem, otherV, freeV, reserve, margin});
        Arbitrary<int[]> choices = Combinators.combine(
                Arbitraries.integers().between(0, 9), // how the memory target is drawn
                Arbitraries.integers().between(0, 5), // how the vCPU target is drawn
                Arbitraries.frequency(Tuple.of(3, 1), Tuple.of(1, 0)), // memory target present
                Arbitraries.frequency(Tuple.of(3, 2), Tuple.of(2, 0)), // vCPU target present
                Arbitraries.frequency(Tuple.of(3, 1), Tuple.of(2, 0)), // policy present
                Arbitraries.frequency(Tuple.of(19, 1), Tuple.of(1, 0)), // command for this host
                Arbitraries.frequency(Tuple.of(19, 1), Tuple.of(1, 0))  // guest on this host
        ).as((m, v, hasM, hasV, hasP, own, present) -> new int[] {m, v, hasM, hasV, hasP, own, present});
        return Combinators.combine(guestSizes, host, choices, shares(10), Arbitraries.longs().between(-256, 256),
                capabilitySets(), deadlineOffsets()).as(ResizeGuardPropertyTest::anyScenario);
    }

    static Scenario anyScenario(long[] gs, long[] h, int[] ch, double[] sh, long delta, Set<DriverCapability> caps,
                                Duration deadlineOffset) {
        long maxMem = gs[0];
        int maxV = (int) gs[1];
        long cur = between(1, maxMem, sh[0]);
        int v = (int) between(1, maxV, sh[1]);
        long used = gs[3] == 1 ? Math.round(cur * sh[2]) : GuestState.UNKNOWN;
        GuestState g = new GuestState("g-1", gs[2] == 1, cur, maxMem, v, maxV, used, 0);

        long allocated = cur + h[0];
        int allocatedVcpus = v + (int) h[2];
        long hostMemory = Math.max(1, h[4] + allocated + h[1]);
        int hostCpus = (int) Math.max(1, allocatedVcpus + h[3]);

        long minMem = between(1, 2 * cur + 1, sh[3]);
        int minV = (int) between(1, maxV + 1, sh[5]);
        GuestPolicy policy = policy(minMem, minMem + between(0, 4 * cur + 256, sh[4]), minV,
                minV + (int) between(0, maxV, sh[6]));

        Long memory = switch (ch[0]) {
            case 0, 1, 2, 3 -> between(Math.max(1, cur / 2), maxMem, sh[7]);
            case 4, 5 -> between(1, 2 * maxMem + 1, sh[7]);
            case 6 -> cur;
            case 7 -> maxMem;
            default -> Math.max(1, cur + delta);
        };
        Integer vcpus = switch (ch[1]) {
            case 0, 1, 2, 3 -> (int) between(1, maxV, sh[8]);
            case 4 -> (int) between(1, 2L * maxV + 1, sh[8]);
            default -> v;
        };
        if (ch[2] == 0 && ch[3] != 0) {
            memory = null;
        } else if (ch[3] == 0) {
            vcpus = null;
        }
        ResizeCommand command = command(g.name(), ch[5] == 1 ? HOST : "h-2", memory, vcpus, NOW.plus(deadlineOffset));
        return new Scenario(command, new ResizeGuard.Context(HOST, NOW, ch[6] == 1 ? Optional.of(g) : Optional.empty(),
                ch[4] == 1 ? Optional.of(policy) : Optional.empty(), hostMemory, hostCpus, allocated, allocatedVcpus,
                h[4], h[5], caps));
    }

    Arbitrary<Set<DriverCapability>> capabilitySets() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.copyOf(EnumSet.allOf(DriverCapability.class)))),
                Tuple.of(1, Arbitraries.of(DriverCapability.class).set()));
    }

    /** Mostly ahead, sometimes exactly now or behind. */
    Arbitrary<Duration> deadlineOffsets() {
        return Arbitraries.frequencyOf(
                Tuple.of(18, Arbitraries.longs().between(1, 600_000).map(Duration::ofMillis)),
                Tuple.of(1, Arbitraries.just(Duration.ZERO)),
                Tuple.of(1, Arbitraries.longs().between(-600_000, -1).map(Duration::ofMillis)));
    }

    @Provide
    Arbitrary<Duration> lateness() {
        return Arbitraries.longs().between(0, 3_600_000).map(Duration::ofMillis)
                .edgeCases(e -> e.includeOnly(Duration.ZERO, Duration.ofMillis(1)));
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1).edgeCases(e -> e.includeOnly(0.0, 1.0));
    }

    // ---- scenarios that break no rule, by construction -------------------------------------------------

    /** How a scenario changes memory or vCPUs; NONE leaves the field out of the command. */
    enum Change { GROW, SHRINK, SAME, NONE }

    @Provide
    Arbitrary<Scenario> validScenario() {
        return valid(Arbitraries.of(Change.class), Arbitraries.of(Change.class));
    }

    @Provide
    Arbitrary<Scenario> memoryGrow() {
        return valid(Arbitraries.just(Change.GROW), Arbitraries.of(Change.class));
    }

    @Provide
    Arbitrary<Scenario> memoryShrink() {
        return valid(Arbitraries.just(Change.SHRINK), Arbitraries.of(Change.class));
    }

    @Provide
    Arbitrary<Scenario> vcpuGrow() {
        return valid(Arbitraries.of(Change.class), Arbitraries.just(Change.GROW));
    }

    Arbitrary<Scenario> valid(Arbitrary<Change> memory, Arbitrary<Change> vcpus) {
        Arbitrary<long[]> amounts = Combinators.combine(
                Arbitraries.longs().between(0, 512),    // margin
                Arbitraries.longs().between(0, 2048),   // reserve
                Arbitraries.longs().between(0, 65536),  // other guests' memory
                Arbitraries.longs().between(0, 65536),  // free memory beyond the growth
                Arbitraries.integers().between(0, 64),  // other guests' vCPUs
                Arbitraries.integers().between(0, 64),  // free CPUs beyond the growth
                Arbitraries.longs().between(1, 600_000) // deadline ahead, ms
        ).as((margin, reserve, otherMem, slackMem, otherV, slackV, ahead) ->
                new long[] {margin, reserve, otherMem, slackMem, otherV, slackV, ahead});
        return Combinators.combine(memory, vcpus, amounts, shares(11), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(DriverCapability.class).set())
                .as(ResizeGuardPropertyTest::valid);
    }

    /**
     * A command and context that respect every rule: the memory and vCPU changes fit the guest's maximums,
     * the policy (when there is one), the guest's use and the host's free capacity, and the driver can make
     * them live.
     */
    static Scenario valid(Change memory, Change vcpus, long[] a, double[] sh, boolean usageKnown, boolean withPolicy,
                          Set<DriverCapability> extraCaps) {
        Change mem = memory == Change.NONE && vcpus == Change.NONE ? Change.SAME : memory;
        long cur;
        long max;
        long target;
        switch (mem) {
            case GROW -> {
                cur = between(1, 65535, sh[0]);
                max = between(cur + 1, 65536, sh[1]);
                target = between(cur + 1, max, sh[2]);
            }
            case SHRINK -> {
                cur = between(2, 65536, sh[0]);
                max = between(cur, 65536, sh[1]);
                target = between(1, cur - 1, sh[2]);
            }
            default -> {
                cur = between(1, 65536, sh[0]);
                max = between(cur, 65536, sh[1]);
                target = cur;
            }
        }
        int v;
        int maxV;
        int targetV;
        switch (vcpus) {
            case GROW -> {
                v = (int) between(1, 63, sh[3]);
                maxV = (int) between(v + 1, 64, sh[4]);
                targetV = (int) between(v + 1, maxV, sh[5]);
            }
            case SHRINK -> {
                v = (int) between(2, 64, sh[3]);
                maxV = (int) between(v, 64, sh[4]);
                targetV = (int) between(1, v - 1, sh[5]);
            }
            default -> {
                v = (int) between(1, 64, sh[3]);
                maxV = (int) between(v, 64, sh[4]);
                targetV = v;
            }
        }
        long margin = a[0];
        long reserve = a[1];
        // on a shrink, at most the target minus the margin; otherwise anything up to the size
        long used = !usageKnown ? GuestState.UNKNOWN
                : mem != Change.SHRINK ? Math.round(cur * sh[6])
                : target - margin < 0 ? GuestState.UNKNOWN
                : Math.round((target - margin) * sh[6]);
        GuestState guest = new GuestState("g-1", true, cur, max, v, maxV, used, 0);

        long allocated = cur + a[2];
        int allocatedVcpus = v + (int) a[4];
        long hostMemory = reserve + allocated + Math.max(0, target - cur) + a[3];
        int hostCpus = allocatedVcpus + Math.max(0, targetV - v) + (int) a[5];

        long minMem = between(1, target, sh[7]);
        int minV = (int) between(1, targetV, sh[9]);
        GuestPolicy policy = policy(minMem, between(target, 2 * target, sh[8]), minV,
                (int) between(targetV, 2L * targetV, sh[10]));

        Set<DriverCapability> caps = EnumSet.noneOf(DriverCapability.class);
        caps.addAll(extraCaps);
        if (mem == Change.GROW) {
            caps.add(LIVE_MEMORY_GROW);
        }
        if (mem == Change.SHRINK) {
            caps.add(LIVE_MEMORY_SHRINK);
        }
        if (vcpus == Change.GROW || vcpus == Change.SHRINK) {
            caps.add(LIVE_VCPU);
        }
        Long memoryField = memory == Change.NONE && vcpus != Change.NONE ? null : Long.valueOf(target);
        Integer vcpuField = vcpus == Change.NONE ? null : Integer.valueOf(targetV);
        ResizeCommand command = command("g-1", HOST, memoryField, vcpuField, NOW.plusMillis(a[6]));
        return new Scenario(command, new ResizeGuard.Context(HOST, NOW, Optional.of(guest),
                withPolicy ? Optional.of(policy) : Optional.empty(), hostMemory, hostCpus, allocated, allocatedVcpus,
                reserve, margin, Set.copyOf(caps)));
    }

    // ---- builders ------------------------------------------------------------------------------------

    static ResizeCommand command(String guest, String host, Long memory, Integer vcpus, Instant deadline) {
        Instant issued = deadline.minus(Duration.ofMinutes(20));
        return new ResizeCommand("cmd-1", guest, host, memory, vcpus, "test", "property", issued, deadline, null);
    }

    static GuestPolicy policy(long minMemory, long maxMemory, int minVcpus, int maxVcpus) {
        return new GuestPolicy("g-1", minMemory, maxMemory, minVcpus, maxVcpus, 0.7, 0.6, 0, true, false, null, NOW);
    }

    static ResizeGuard.Context context(ResizeGuard.Context c, Optional<GuestState> guest, Optional<GuestPolicy> policy,
                                       long hostMemory, long allocatedMemory, int hostCpus, int allocatedVcpus,
                                       Set<DriverCapability> caps, Instant now) {
        return new ResizeGuard.Context(c.hostId(), now, guest, policy, hostMemory, hostCpus, allocatedMemory,
                allocatedVcpus, c.memoryReserveMiB(), c.usageMarginMiB(), caps);
    }

    /** A value from lo to hi (inclusive) at relative position {@code where}. */
    static long between(long lo, long hi, double where) {
        if (hi <= lo) {
            return lo;
        }
        return lo + Math.min(hi - lo, (long) Math.floor((hi - lo + 1) * where));
    }
}
