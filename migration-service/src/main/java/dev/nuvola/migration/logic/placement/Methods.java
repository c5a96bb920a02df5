package dev.nuvola.migration.logic.placement;

import java.util.Set;

import dev.nuvola.events.Capability;
import dev.nuvola.events.MigrationMethod;

/**
 * How a guest can move from its source to a target: live when both drivers migrate live; otherwise
 * save/restore when both can, unless the guest is neverRestart (save/restore stops it).
 */
public final class Methods {
    private Methods() {
    }

    /** The method to use, or null when there is none for this guest between these hosts. */
    public static MigrationMethod between(GuestToPlace guest, Set<Capability> target) {
        Set<Capability> source = guest.sourceCapabilities();
        if (target.contains(Capability.LIVE_MIGRATION)
                && (source == null || source.contains(Capability.LIVE_MIGRATION))) {
            return MigrationMethod.LIVE;
        }
        if (!guest.neverRestart() && target.contains(Capability.SAVE_RESTORE)
                && (source == null || source.contains(Capability.SAVE_RESTORE))) {
            return MigrationMethod.SAVE_RESTORE;
        }
        return null;
    }

    /** Why {@link #between} found no method. */
    public static String whyNone(GuestToPlace guest, Set<Capability> target) {
        Set<Capability> source = guest.sourceCapabilities();
        boolean live = target.contains(Capability.LIVE_MIGRATION)
                && (source == null || source.contains(Capability.LIVE_MIGRATION));
        boolean saveRestore = target.contains(Capability.SAVE_RESTORE)
                && (source == null || source.contains(Capability.SAVE_RESTORE));
        String noLive = source == null ? "the target's driver has no live migration"
                : "no live migration between the source's driver and the target's";
        if (!live && saveRestore && guest.neverRestart()) {
            return noLive + ", and the guest is neverRestart: save/restore would stop it";
        }
        return noLive + ", nor save/restore";
    }
}
