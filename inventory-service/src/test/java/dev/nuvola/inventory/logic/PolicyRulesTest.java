package dev.nuvola.inventory.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nuvola.events.GuestPolicy;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class PolicyRulesTest {
    private static final PolicyRules.Limits LIMITS = new PolicyRules.Limits(8192, 4);

    @Test
    void aValidRequestTakesTheDefaultsForWhatItLeavesOut() {
        PolicyRules.Request request = new PolicyRules.Request(1024L, 4096L, 1, 2, null, null, null, null, null, null);
        assertThat(PolicyRules.check(request, LIMITS)).isEmpty();
        GuestPolicy policy = PolicyRules.toPolicy("g", request, Instant.EPOCH);
        assertThat(policy.targetMemoryUtilisation()).isEqualTo(0.75);
        assertThat(policy.priority()).isZero();
        assertThat(policy.migratable()).isTrue();
        assertThat(policy.neverRestart()).isFalse();
    }

    @Test
    void everyBrokenRuleIsReportedWithItsField() {
        PolicyRules.Request request = new PolicyRules.Request(4096L, 1024L, null, 16, 1.5, 0.0, 5000, null, null, " ");
        List<String> fields = PolicyRules.check(request, LIMITS).stream().map(PolicyRules.Violation::field).toList();
        assertThat(fields).containsExactlyInAnyOrder("minVcpus", "minMemoryMiB", "maxVcpus",
                "targetMemoryUtilisation", "targetCpuUtilisation", "priority", "antiAffinityGroup");
    }

    @Test
    void boundsAboveTheHypervisorMaximumAreRefused() {
        PolicyRules.Request request = new PolicyRules.Request(1024L, 16384L, 1, 2, null, null, null, null, null, null);
        assertThat(PolicyRules.check(request, LIMITS)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("hypervisor maximum (8192 MiB)"));
    }

    /** Whatever the rules accept is a valid event of the contract, within the guest's limits. */
    @Property(tries = 1000)
    void acceptedRequestsMakeValidPoliciesWithinTheLimits(@ForAll @LongRange(min = -10, max = 10000) long minMem,
                                                          @ForAll @LongRange(min = -10, max = 10000) long maxMem,
                                                          @ForAll @IntRange(min = -1, max = 6) int minCpu,
                                                          @ForAll @IntRange(min = -1, max = 6) int maxCpu) {
        PolicyRules.Request request = new PolicyRules.Request(minMem, maxMem, minCpu, maxCpu, null, null, null, null,
                null, null);
        if (PolicyRules.check(request, LIMITS).isEmpty()) {
            GuestPolicy policy = PolicyRules.toPolicy("g", request, Instant.EPOCH);
            assertThat(policy.minMemoryMiB()).isLessThanOrEqualTo(policy.maxMemoryMiB());
            assertThat(policy.maxMemoryMiB()).isLessThanOrEqualTo(LIMITS.maxMemoryMiB());
            assertThat(policy.maxVcpus()).isLessThanOrEqualTo(LIMITS.maxVcpus());
            assertThat(policy.minVcpus()).isBetween(1, policy.maxVcpus());
        } else {
            assertThat(minMem < 0 || minMem > maxMem || maxMem > 8192 || minCpu < 1 || minCpu > maxCpu || maxCpu > 4)
                    .isTrue();
        }
    }
}
