package dev.nuvola.scaler.logic;

import java.time.Instant;
import java.util.List;

/**
 * A sizing decision and why it was taken: kept for operators, whatever came of it.
 *
 * @param action            RESIZE (a command was sent), MOVE_GUEST or MAKE_ROOM (migrations were requested),
 *                          REFUSED (nothing can be done now), BACK_OFF (the driver failed; waiting)
 * @param commandId         the resize command sent, if any
 * @param targetMemoryMiB   the memory asked for, if any
 * @param targetVcpus       the vCPUs asked for, if any
 * @param migrationRequests the migration requests sent, if any
 */
public record Decision(Instant decidedAt, String guestId, String hostId, String action, String commandId,
                       Long targetMemoryMiB, Integer targetVcpus, List<String> migrationRequests, String reason) {
    public Decision {
        migrationRequests = migrationRequests == null ? List.of() : List.copyOf(migrationRequests);
    }
}
