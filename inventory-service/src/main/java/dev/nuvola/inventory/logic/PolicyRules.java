package dev.nuvola.inventory.logic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.nuvola.events.GuestPolicy;

/**
 * What an operator may ask of a guest's policy. Every broken rule is reported, each naming its field, so that
 * one answer says everything that is wrong.
 */
public final class PolicyRules {
    public static final double DEFAULT_TARGET_MEMORY_UTILISATION = 0.75;
    public static final double DEFAULT_TARGET_CPU_UTILISATION = 0.70;
    public static final int MIN_PRIORITY = -1000;
    public static final int MAX_PRIORITY = 1000;

    private PolicyRules() {
    }

    /** One broken rule. */
    public record Violation(String field, String message) {
    }

    /**
     * A policy as an operator writes it; absent targets, priority and flags take the defaults (0.75, 0.70, 0,
     * migratable, may restart).
     */
    public record Request(Long minMemoryMiB, Long maxMemoryMiB, Integer minVcpus, Integer maxVcpus,
                          Double targetMemoryUtilisation, Double targetCpuUtilisation, Integer priority,
                          Boolean migratable, Boolean neverRestart, String antiAffinityGroup) {
    }

    /** The guest's hypervisor limits: no policy may allow more. */
    public record Limits(long maxMemoryMiB, int maxVcpus) {
    }

    public static List<Violation> check(Request r, Limits limits) {
        List<Violation> violations = new ArrayList<>();
        required(violations, "minMemoryMiB", r.minMemoryMiB());
        required(violations, "maxMemoryMiB", r.maxMemoryMiB());
        required(violations, "minVcpus", r.minVcpus());
        required(violations, "maxVcpus", r.maxVcpus());
        if (r.minMemoryMiB() != null && r.minMemoryMiB() < 0) {
            violations.add(new Violation("minMemoryMiB", "must not be negative, got " + r.minMemoryMiB()));
        }
        if (r.minVcpus() != null && r.minVcpus() < 1) {
            violations.add(new Violation("minVcpus", "must be at least 1, got " + r.minVcpus()));
        }
        if (r.minMemoryMiB() != null && r.maxMemoryMiB() != null && r.minMemoryMiB() > r.maxMemoryMiB()) {
            violations.add(new Violation("minMemoryMiB", "must not exceed maxMemoryMiB (" + r.maxMemoryMiB()
                    + "), got " + r.minMemoryMiB()));
        }
        if (r.minVcpus() != null && r.maxVcpus() != null && r.minVcpus() > r.maxVcpus()) {
            violations.add(new Violation("minVcpus", "must not exceed maxVcpus (" + r.maxVcpus() + "), got "
                    + r.minVcpus()));
        }
        if (r.maxMemoryMiB() != null && r.maxMemoryMiB() > limits.maxMemoryMiB()) {
            violations.add(new Violation("maxMemoryMiB", "must not exceed the guest's hypervisor maximum ("
                    + limits.maxMemoryMiB() + " MiB), got " + r.maxMemoryMiB()));
        }
        if (r.maxVcpus() != null && r.maxVcpus() > limits.maxVcpus()) {
            violations.add(new Violation("maxVcpus", "must not exceed the guest's hypervisor maximum ("
                    + limits.maxVcpus() + " vCPUs), got " + r.maxVcpus()));
        }
        fraction(violations, "targetMemoryUtilisation", r.targetMemoryUtilisation());
        fraction(violations, "targetCpuUtilisation", r.targetCpuUtilisation());
        if (r.priority() != null && (r.priority() < MIN_PRIORITY || r.priority() > MAX_PRIORITY)) {
            violations.add(new Violation("priority", "must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY
                    + ", got " + r.priority()));
        }
        if (r.antiAffinityGroup() != null && (r.antiAffinityGroup().isBlank() || r.antiAffinityGroup().length() > 255)) {
            violations.add(new Violation("antiAffinityGroup", "must be absent or 1 to 255 characters"));
        }
        return violations;
    }

    /** The event for a request that {@link #check} found valid. */
    public static GuestPolicy toPolicy(String guestId, Request r, Instant updatedAt) {
        return new GuestPolicy(guestId, r.minMemoryMiB(), r.maxMemoryMiB(), r.minVcpus(), r.maxVcpus(),
                r.targetMemoryUtilisation() == null ? DEFAULT_TARGET_MEMORY_UTILISATION : r.targetMemoryUtilisation(),
                r.targetCpuUtilisation() == null ? DEFAULT_TARGET_CPU_UTILISATION : r.targetCpuUtilisation(),
                r.priority() == null ? 0 : r.priority(),
                r.migratable() == null || r.migratable(),
                r.neverRestart() != null && r.neverRestart(),
                r.antiAffinityGroup(), updatedAt);
    }

    private static void required(List<Violation> violations, String field, Object value) {
        if (value == null) {
            violations.add(new Violation(field, "is required"));
        }
    }

    private static void fraction(List<Violation> violations, String field, Double value) {
        if (value != null && !(value > 0 && value <= 1)) {
            violations.add(new Violation(field, "must be a fraction above 0 and at most 1, got " + value));
        }
    }
}
