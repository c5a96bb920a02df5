package dev.nuvola.migration.logic.placement;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestSize;

/**
 * A guest looking for a host.
 *
 * @param sourceHostId       where it runs now (never a candidate); null for a dry run of a new guest
 * @param sourceCapabilities what the source's driver can do; null when unknown (a dry run): the target alone decides
 * @param neverRestart       the guest may only move by a method that keeps it running
 * @param antiAffinityGroup  no two guests of this group on one host; null for none
 * @param requiredHostId     the only host an operator allows; null lets placement choose
 */
public record GuestToPlace(
        String guestId,
        GuestSize size,
        String sourceHostId,
        Set<Capability> sourceCapabilities,
        boolean neverRestart,
        String antiAffinityGroup,
        String requiredHostId) {

    public GuestToPlace {
        if (size == null) {
            throw new IllegalArgumentException("size is required");
        }
        sourceCapabilities = sourceCapabilities == null ? null : sourceCapabilities.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(sourceCapabilities));
    }

    public static GuestToPlace dryRun(GuestSize size, boolean neverRestart, String antiAffinityGroup) {
        return new GuestToPlace("(dry run)", size, null, null, neverRestart, antiAffinityGroup, null);
    }

    public String describe() {
        return guestId + " (" + size.memoryMiB() + " MiB, " + size.vcpus() + " vCPUs)";
    }
}
