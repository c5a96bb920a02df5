package dev.nuvola.inventory.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.events.GuestPolicy;
import dev.nuvola.inventory.logic.PolicyRules;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.ScalingPolicy;

/** Sets guests' policies: checked, stored, and published through the outbox in the same transaction. */
@ApplicationScoped
public class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    public static class UnknownGuestException extends RuntimeException {
        UnknownGuestException(String guestId) {
            super("no guest with id '" + guestId + "'");
        }
    }

    /** The request broke these rules; nothing was changed. */
    public static class InvalidPolicyException extends RuntimeException {
        private final List<PolicyRules.Violation> violations;

        InvalidPolicyException(List<PolicyRules.Violation> violations) {
            super(violations.stream().map(v -> v.field() + " " + v.message())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid policy"));
            this.violations = violations;
        }

        public List<PolicyRules.Violation> violations() {
            return violations;
        }
    }

    private final Outbox outbox;
    private final FleetFeed feed;

    PolicyService(Outbox outbox, FleetFeed feed) {
        this.outbox = outbox;
        this.feed = feed;
    }

    @Transactional
    public GuestPolicy set(String guestId, PolicyRules.Request request) {
        Guest guest = Guest.findById(guestId);
        if (guest == null) {
            throw new UnknownGuestException(guestId);
        }
        List<PolicyRules.Violation> violations = PolicyRules.check(request,
                new PolicyRules.Limits(guest.maxMemoryMiB, guest.maxVcpus));
        if (!violations.isEmpty()) {
            throw new InvalidPolicyException(violations);
        }
        // Millisecond precision: what PostgreSQL and the JSON on the topic both keep exactly.
        GuestPolicy policy = PolicyRules.toPolicy(guestId, request, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ScalingPolicy stored = ScalingPolicy.findById(guestId);
        if (stored == null) {
            stored = new ScalingPolicy();
        }
        stored.set(policy);
        stored.persist();
        String eventId = outbox.add(guestId, policy);
        feed.announce("POLICY", guestId, policy.updatedAt(), policy);
        LOG.infof("guest=%s policy set (memory %d-%d MiB, vCPUs %d-%d, priority %d), event %s", guestId,
                policy.minMemoryMiB(), policy.maxMemoryMiB(), policy.minVcpus(), policy.maxVcpus(), policy.priority(),
                eventId);
        return policy;
    }
}
