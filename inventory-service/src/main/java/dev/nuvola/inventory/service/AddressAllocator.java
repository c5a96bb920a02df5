package dev.nuvola.inventory.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.inventory.config.InventoryConfig;
import dev.nuvola.inventory.logic.Ipv6Prefix;
import dev.nuvola.inventory.model.GuestAddress;
import dev.nuvola.inventory.model.Prefix;
import io.quarkus.panache.common.Sort;

/**
 * Gives each guest one IPv6 address, once: from its host's prefix if the host has one, else from the site's.
 * The prefix row is locked while its next offset is taken, so parallel allocations queue on it; the database's
 * unique constraint on the address is the last word should anything else ever write one.
 */
@ApplicationScoped
public class AddressAllocator {
    private static final Logger LOG = Logger.getLogger(AddressAllocator.class);

    private final InventoryConfig config;
    private final FleetFeed feed;

    AddressAllocator(InventoryConfig config, FleetFeed feed) {
        this.config = config;
        this.feed = feed;
    }

    /** The guest's address: the one it has, or a new one; empty when no prefix covers the guest's host. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<GuestAddress> allocate(String guestId, String hostId) {
        GuestAddress existing = GuestAddress.findById(guestId);
        if (existing != null) {
            return Optional.of(existing);
        }
        for (Prefix prefix : candidates(hostId)) {
            // Read again under the prefix's lock: a parallel allocation for this guest may have committed meanwhile.
            existing = GuestAddress.findById(guestId);
            if (existing != null) {
                return Optional.of(existing);
            }
            Ipv6Prefix parsed = Ipv6Prefix.parse(prefix.prefix);
            if (prefix.nextOffset > parsed.capacity()) {
                continue;
            }
            GuestAddress address = new GuestAddress();
            address.guestId = guestId;
            address.address = parsed.addressAt(prefix.nextOffset);
            address.prefixId = prefix.id;
            address.allocatedAt = Instant.now();
            prefix.nextOffset++;
            address.persistAndFlush();
            LOG.infof("guest=%s host=%s address %s allocated from %s", guestId, hostId, address.address, prefix.prefix);
            feed.announce("ADDRESS", guestId, address.allocatedAt, address.address);
            return Optional.of(address);
        }
        return Optional.empty();
    }

    /** Allocates for those of {@code guestIds} (on {@code hostId}) that have no address yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int allocateMissing(Collection<String> guestIds, String hostId) {
        if (guestIds.isEmpty() || Prefix.count() == 0) {
            return 0;
        }
        Set<String> addressed = new HashSet<>(GuestAddress.<GuestAddress>list("guestId in ?1", guestIds).stream()
                .map(a -> a.guestId).toList());
        int allocated = 0;
        for (String guestId : guestIds) {
            if (!addressed.contains(guestId) && allocate(guestId, hostId).isPresent()) {
                allocated++;
            }
        }
        return allocated;
    }

    /** The host's prefixes, then the site's, each locked. */
    private List<Prefix> candidates(String hostId) {
        List<Prefix> prefixes = new ArrayList<>(Prefix.<Prefix>find("scope = ?1 and scopeId = ?2", Sort.by("id"),
                Prefix.Scope.HOST, hostId).withLock(LockModeType.PESSIMISTIC_WRITE).list());
        prefixes.addAll(Prefix.<Prefix>find("scope = ?1 and scopeId = ?2", Sort.by("id"), Prefix.Scope.SITE,
                config.site()).withLock(LockModeType.PESSIMISTIC_WRITE).list());
        return prefixes;
    }
}
