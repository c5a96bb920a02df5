package dev.nuvola.agent.logic;

/** Why the agent refused a resize. The code travels in the result; operators and the scaler act on it. */
public enum RejectReason {
    WRONG_HOST,
    DEADLINE_PASSED,
    GUEST_NOT_FOUND,
    GUEST_NOT_RUNNING,
    ABOVE_POLICY_MAX,
    BELOW_POLICY_MIN,
    ABOVE_HYPERVISOR_MAX,
    INSUFFICIENT_HOST_CAPACITY,
    BELOW_USAGE,
    UNSUPPORTED_LIVE
}
