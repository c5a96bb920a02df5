package dev.nuvola.scaler.logic;

import java.time.Instant;

/**
 * A sizing decision and why it was taken: kept for operators, whatever came of it.
 *
 * @param action         what the scaler did: RESIZE (a command was sent)
 * @param commandId      the command it sent, if any
 * @param targetMemoryMiB the memory it asked for, if any
 */
public record Decision(Instant decidedAt, String guestId, String hostId, String action, String commandId,
                       Long targetMemoryMiB, String reason) {
}
