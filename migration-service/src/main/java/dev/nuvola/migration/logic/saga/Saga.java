package dev.nuvola.migration.logic.saga;

import java.time.Instant;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;

/**
 * A migration saga's state, as persisted: everything {@link MigrationSaga} needs to decide the next move,
 * and nothing else, so that a restarted service resumes from it alone.
 *
 * @param targetHostId  null until planned
 * @param method        null until planned
 * @param step          the step whose outcome the saga waits for; null when it waits for none
 * @param stepHostId    the host executing that step
 * @param attempt       which attempt of that step is current (1 for the first)
 * @param commandId     the current attempt's command id
 * @param stepDeadline  when the current attempt times out
 * @param failedIn      the state a failure interrupted: which hosts compensation must undo; null without failure
 * @param reason        why the saga is where it is (the request's reason, then a refusal or failure)
 */
public record Saga(
        String id,
        String guestId,
        String sourceHostId,
        String targetHostId,
        MigrationMethod method,
        GuestSize size,
        MigrationState state,
        MigrationStep step,
        String stepHostId,
        int attempt,
        String commandId,
        Instant stepDeadline,
        MigrationState failedIn,
        String reason) {

    public static Saga requested(String id, String guestId, String sourceHostId, GuestSize size, String reason) {
        return new Saga(id, guestId, sourceHostId, null, null, size, MigrationState.REQUESTED, null, null, 0, null,
                null, null, reason);
    }

    Saga with(MigrationState newState, String newReason) {
        return new Saga(id, guestId, sourceHostId, targetHostId, method, size, newState, step, stepHostId, attempt,
                commandId, stepDeadline, failedIn, newReason);
    }

    Saga planned(String target, MigrationMethod how, String why) {
        return new Saga(id, guestId, sourceHostId, target, how, size, MigrationState.PLANNED, null, null, 0, null,
                null, null, why);
    }

    Saga awaiting(MigrationState newState, MigrationStep newStep, String host, int newAttempt, String newCommandId,
                  Instant deadline, MigrationState newFailedIn, String newReason) {
        return new Saga(id, guestId, sourceHostId, targetHostId, method, size, newState, newStep, host, newAttempt,
                newCommandId, deadline, newFailedIn, newReason);
    }

    Saga done(MigrationState finalState, String newReason) {
        return new Saga(id, guestId, sourceHostId, targetHostId, method, size, finalState, null, null, 0, null, null,
                failedIn, newReason);
    }
}
