package dev.nuvola.inventory.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.inventory.config.InventoryConfig;
import dev.nuvola.inventory.logic.Ipv6Prefix;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.GuestAddress;
import dev.nuvola.inventory.model.Prefix;

/** Adds prefixes; the guests they cover that have no address yet get one at once. */
@ApplicationScoped
public class PrefixService {
    private static final Logger LOG = Logger.getLogger(PrefixService.class);

    /** A prefix refused because it shares addresses with one already configured. */
    public static class OverlapException extends RuntimeException {
        OverlapException(String message) {
            super(message);
        }
    }

    private final AddressAllocator allocator;
    private final FleetFeed feed;
    private final InventoryConfig config;

    PrefixService(AddressAllocator allocator, FleetFeed feed, InventoryConfig config) {
        this.allocator = allocator;
        this.feed = feed;
        this.config = config;
    }

    /** @throws IllegalArgumentException for a prefix that is not a valid IPv6 one (its message says why) */
    @Transactional
    public Prefix add(String text, Prefix.Scope scope, String scopeId) {
        Ipv6Prefix parsed = Ipv6Prefix.parse(text);
        for (Prefix existing : Prefix.<Prefix>listAll()) {
            if (Ipv6Prefix.parse(existing.prefix).overlaps(parsed)) {
                throw new OverlapException(parsed + " overlaps " + existing.prefix + " (" + existing.scope + " "
                        + existing.scopeId + "): two prefixes sharing addresses could give one address to two guests");
            }
        }
        Prefix prefix = new Prefix();
        prefix.prefix = parsed.toString();
        prefix.scope = scope;
        prefix.scopeId = scopeId;
        prefix.nextOffset = 1;
        prefix.createdAt = Instant.now();
        // The exclusion constraint refuses an overlap added by a parallel request after the check above.
        prefix.persistAndFlush();
        List<Guest> covered = scope == Prefix.Scope.HOST ? Guest.onHost(scopeId)
                : config.site().equals(scopeId) ? Guest.listAll() : List.of();
        int allocated = 0;
        for (Guest guest : covered) {
            if (GuestAddress.findById(guest.id) == null && allocator.allocate(guest.id, guest.hostId).isPresent()) {
                allocated++;
            }
        }
        LOG.infof("prefix %s added for %s %s; %d guests got an address from it", prefix.prefix, scope, scopeId,
                allocated);
        feed.announce("PREFIX", prefix.prefix, prefix.createdAt, scope + " " + scopeId);
        return prefix;
    }
}
