package dev.nuvola.agent.logic;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.ResizeCommand;

/**
 * SPEC's safety rules for a resize, checked by the agent against the host's actual state right before
 * applying. Whatever sent the command (scaler, operator, a stray producer), nothing that breaks a rule
 * reaches the driver. Plain code: no I/O, so it can be property-tested exhaustively.
 */
public final class ResizeGuard {

    /**
     * What the agent knows at the moment of applying.
     *
     * @param hostId             this agent's host
     * @param guest              the guest as its driver sees it now; empty when it is not on this host
     * @param policy             the guest's policy, when one has been received
     * @param hostMemoryMiB      the node's memory
     * @param hostCpus           the node's CPUs
     * @param allocatedMemoryMiB memory assigned to all guests on the node, this one included
     * @param allocatedVcpus     vCPUs assigned to all guests on the node, this one included
     * @param memoryReserveMiB   memory kept for the host itself
     * @param usageMarginMiB     headroom kept above a guest's working set on a shrink
     * @param capabilities       what the driver can do live
     */
    public record Context(String hostId, Instant now, Optional<GuestState> guest, Optional<GuestPolicy> policy,
                          long hostMemoryMiB, int hostCpus, long allocatedMemoryMiB, int allocatedVcpus,
                          long memoryReserveMiB, long usageMarginMiB, Set<DriverCapability> capabilities) {
    }

    /** The guard's answer: allowed, or refused with a reason code and a message an operator understands. */
    public record Verdict(RejectReason reason, String message) {
        public static final Verdict ALLOWED = new Verdict(null, "allowed");

        public boolean allowed() {
            return reason == null;
        }

        static Verdict reject(RejectReason reason, String message) {
            return new Verdict(reason, message);
        }
    }

    private ResizeGuard() {
    }

    public static Verdict check(ResizeCommand command, Context ctx) {
        if (!command.hostId().equals(ctx.hostId())) {
            return Verdict.reject(RejectReason.WRONG_HOST,
                    "command is for host " + command.hostId() + ", this is " + ctx.hostId());
        }
        if (!ctx.now().isBefore(command.deadline())) {
            return Verdict.reject(RejectReason.DEADLINE_PASSED,
                    "deadline " + command.deadline() + " passed; a late resize is never applied");
        }
        if (ctx.guest().isEmpty()) {
            return Verdict.reject(RejectReason.GUEST_NOT_FOUND, "guest " + command.guestId() + " is not on this host");
        }
        GuestState guest = ctx.guest().get();
        if (!guest.running()) {
            return Verdict.reject(RejectReason.GUEST_NOT_RUNNING, "guest " + guest.name() + " is not running");
        }
        if (command.targetMemoryMiB() != null) {
            Verdict memory = checkMemory(command.targetMemoryMiB(), guest, ctx);
            if (!memory.allowed()) {
                return memory;
            }
        }
        if (command.targetVcpus() != null) {
            return checkVcpus(command.targetVcpus(), guest, ctx);
        }
        return Verdict.ALLOWED;
    }

    private static Verdict checkMemory(long target, GuestState guest, Context ctx) {
        long current = guest.memoryMiB();
        if (target > current && !ctx.capabilities().contains(DriverCapability.LIVE_MEMORY_GROW)) {
            return Verdict.reject(RejectReason.UNSUPPORTED_LIVE, "this driver cannot grow memory live");
        }
        if (target < current && !ctx.capabilities().contains(DriverCapability.LIVE_MEMORY_SHRINK)) {
            return Verdict.reject(RejectReason.UNSUPPORTED_LIVE, "this driver cannot shrink memory live");
        }
        if (ctx.policy().isPresent()) {
            GuestPolicy policy = ctx.policy().get();
            if (target > policy.maxMemoryMiB()) {
                return Verdict.reject(RejectReason.ABOVE_POLICY_MAX,
                        target + " MiB is above the policy maximum of " + policy.maxMemoryMiB() + " MiB");
            }
            if (target < policy.minMemoryMiB()) {
                return Verdict.reject(RejectReason.BELOW_POLICY_MIN,
                        target + " MiB is below the policy minimum of " + policy.minMemoryMiB() + " MiB");
            }
        }
        if (target > guest.maxMemoryMiB()) {
            return Verdict.reject(RejectReason.ABOVE_HYPERVISOR_MAX,
                    target + " MiB is above the guest's hypervisor maximum of " + guest.maxMemoryMiB() + " MiB");
        }
        long free = ctx.hostMemoryMiB() - ctx.memoryReserveMiB() - ctx.allocatedMemoryMiB();
        if (target > current && target - current > free) {
            return Verdict.reject(RejectReason.INSUFFICIENT_HOST_CAPACITY,
                    "growing by " + (target - current) + " MiB needs more than the host's " + Math.max(free, 0)
                            + " MiB free");
        }
        if (target < current && guest.hasUsage() && target < guest.usedMiB() + ctx.usageMarginMiB()) {
            return Verdict.reject(RejectReason.BELOW_USAGE, target + " MiB is below the guest's working set of "
                    + guest.usedMiB() + " MiB plus the " + ctx.usageMarginMiB() + " MiB margin");
        }
        return Verdict.ALLOWED;
    }

    private static Verdict checkVcpus(int target, GuestState guest, Context ctx) {
        if (target != guest.vcpus() && !ctx.capabilities().contains(DriverCapability.LIVE_VCPU)) {
            return Verdict.reject(RejectReason.UNSUPPORTED_LIVE, "this driver cannot change vCPUs live");
        }
        if (ctx.policy().isPresent()) {
            GuestPolicy policy = ctx.policy().get();
            if (target > policy.maxVcpus()) {
                return Verdict.reject(RejectReason.ABOVE_POLICY_MAX,
                        target + " vCPUs is above the policy maximum of " + policy.maxVcpus());
            }
            if (target < policy.minVcpus()) {
                return Verdict.reject(RejectReason.BELOW_POLICY_MIN,
                        target + " vCPUs is below the policy minimum of " + policy.minVcpus());
            }
        }
        if (target > guest.maxVcpus()) {
            return Verdict.reject(RejectReason.ABOVE_HYPERVISOR_MAX,
                    target + " vCPUs is above the guest's hypervisor maximum of " + guest.maxVcpus());
        }
        int free = ctx.hostCpus() - ctx.allocatedVcpus();
        if (target > guest.vcpus() && target - guest.vcpus() > free) {
            return Verdict.reject(RejectReason.INSUFFICIENT_HOST_CAPACITY,
                    "adding " + (target - guest.vcpus()) + " vCPUs needs more than the host's " + Math.max(free, 0)
                            + " free");
        }
        return Verdict.ALLOWED;
    }
}
