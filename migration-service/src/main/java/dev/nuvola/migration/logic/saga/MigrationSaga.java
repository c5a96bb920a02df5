package dev.nuvola.migration.logic.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;

/**
 * The migration saga's transitions, as pure functions of a {@link Saga} and an input. No clock, no database,
 * no Kafka: the service persists what these return and sends the commands through its outbox.
 *
 * <pre>
 * REQUESTED -plan-> PLANNED -start-> PREPARING (PREPARE_TARGET @target) -ok-> TRANSFERRING (TRANSFER @source)
 *   -ok-> ACTIVATING (ACTIVATE @target) -ok-> CLEANING (CLEANUP_SOURCE @source) -ok-> COMPLETED
 * REQUESTED -refuse-> REFUSED
 * any step: STEP_FAILED, or timed out {@code maxAttempts} times -> COMPENSATING (ABORT @target, then ABORT @source
 *   if the source had been asked to transfer) -ok-> ROLLED_BACK
 * </pre>
 *
 * <p>A timed-out step is sent again under a new command id (the agent rejects the old one once past its
 * deadline, so at most one attempt is ever applied); a success reported for any attempt of the current step
 * advances the saga, a failure counts only for the current attempt. A failed step is not retried: the agent
 * reports a failure only when retrying would not help. Compensation is never given up: an ABORT is sent again
 * whenever its attempt times out or fails, because a saga that stopped compensating would leave the guest's
 * whereabouts unknown.
 */
public final class MigrationSaga {
    /** @param stepTimeout how long an agent has for one attempt of a step; @param maxAttempts per forward step */
    public record Rules(Duration stepTimeout, int maxAttempts) {
        public Rules {
            if (stepTimeout.isNegative() || stepTimeout.isZero()) {
                throw new IllegalArgumentException("stepTimeout must be positive");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }
    }

    private static final String ABORT_TARGET = "ABORT-TARGET";
    /** The agents' reason code for an ABORT that would stop a guest already running on the target. */
    static final String ACTIVE_ON_TARGET = "ACTIVE_ON_TARGET";
    private static final String ABORT_SOURCE = "ABORT-SOURCE";

    private final Rules rules;

    public MigrationSaga(Rules rules) {
        this.rules = rules;
    }

    public Rules rules() {
        return rules;
    }

    /** REQUESTED -> PLANNED: a target was chosen and its room reserved (the reservation is the planned saga). */
    public Transition plan(Saga saga, String targetHostId, MigrationMethod method, String why) {
        if (saga.state() != MigrationState.REQUESTED) {
            return Transition.unchanged(saga, "only a REQUESTED saga is planned, this one is " + saga.state());
        }
        Saga planned = saga.planned(targetHostId, method, why);
        return new Transition(planned, List.of(), List.of(MigrationState.PLANNED), true, why);
    }

    /** REQUESTED -> REFUSED: no host fits, or the guest's policy forbids every way to move it. */
    public Transition refuse(Saga saga, String why) {
        if (saga.state() != MigrationState.REQUESTED) {
            return Transition.unchanged(saga, "only a REQUESTED saga is refused, this one is " + saga.state());
        }
        return new Transition(saga.done(MigrationState.REFUSED, why), List.of(), List.of(MigrationState.REFUSED),
                true, why);
    }

    /** PLANNED -> PREPARING: the target agent prepares to receive the guest. */
    public Transition start(Saga saga, Instant now) {
        if (saga.state() != MigrationState.PLANNED) {
            return Transition.unchanged(saga, "only a PLANNED saga starts, this one is " + saga.state());
        }
        return issue(saga, MigrationState.PREPARING, MigrationStep.PREPARE_TARGET, saga.targetHostId(), 1, null,
                saga.reason(), now);
    }

    public Transition stepSucceeded(Saga saga, String commandId, Instant now) {
        if (!isAttemptOfCurrentStep(saga, commandId)) {
            return Transition.unchanged(saga, "outcome of " + commandId + " is not for the step awaited ("
                    + saga.commandId() + ")");
        }
        return switch (saga.state()) {
            case PREPARING -> issue(saga, MigrationState.TRANSFERRING, MigrationStep.TRANSFER, saga.sourceHostId(), 1,
                    null, saga.reason(), now);
            case TRANSFERRING -> issue(saga, MigrationState.ACTIVATING, MigrationStep.ACTIVATE, saga.targetHostId(), 1,
                    null, saga.reason(), now);
            case ACTIVATING -> issue(saga, MigrationState.CLEANING, MigrationStep.CLEANUP_SOURCE, saga.sourceHostId(),
                    1, null, saga.reason(), now);
            case CLEANING -> new Transition(saga.done(MigrationState.COMPLETED, saga.reason()), List.of(),
                    List.of(MigrationState.COMPLETED), true, "guest runs on " + saga.targetHostId());
            case COMPENSATING -> abortConfirmed(saga, now);
            default -> Transition.unchanged(saga, "no step awaited in " + saga.state());
        };
    }

    public Transition stepFailed(Saga saga, String commandId, String why, Instant now) {
        if (saga.step() == null || !saga.commandId().equals(commandId)) {
            return Transition.unchanged(saga, "failure of " + commandId + " is not the current attempt ("
                    + saga.commandId() + ")");
        }
        String failure = saga.step() + " failed on " + saga.stepHostId() + ": " + why;
        if (saga.state() == MigrationState.COMPENSATING && why != null && why.startsWith(ACTIVE_ON_TARGET)) {
            // The guest already runs on the target (an ACTIVATE whose success was not heard in time). Stopping it
            // there and starting the old saved state on the source would undo what it did since, and its disks
            // would not match its memory: the move is finished instead.
            return issue(saga, MigrationState.CLEANING, MigrationStep.CLEANUP_SOURCE, saga.sourceHostId(), 1, null,
                    saga.reason() + "; " + failure + ": completed instead of rolled back", now);
        }
        if (saga.state() == MigrationState.COMPENSATING) {
            // Sent again when this attempt's deadline passes (see tick): not at once, which could loop hot.
            return Transition.unchanged(saga, failure + "; sent again at " + saga.stepDeadline());
        }
        return compensate(saga, failure, now);
    }

    /** Times out the current attempt once its deadline has passed. */
    public Transition tick(Saga saga, Instant now) {
        if (saga.step() == null || saga.state().isFinal() || now.isBefore(saga.stepDeadline())) {
            return Transition.unchanged(saga, "nothing due");
        }
        String timedOut = saga.step() + " timed out on " + saga.stepHostId() + " (attempt " + saga.attempt() + " of "
                + (saga.state() == MigrationState.COMPENSATING ? "unbounded" : rules.maxAttempts()) + ")";
        if (saga.state() == MigrationState.COMPENSATING) {
            return issue(saga, saga.state(), saga.step(), saga.stepHostId(), saga.attempt() + 1, saga.failedIn(),
                    saga.reason(), now);
        }
        if (saga.attempt() < rules.maxAttempts()) {
            return issue(saga, saga.state(), saga.step(), saga.stepHostId(), saga.attempt() + 1, null, saga.reason(),
                    now).withNote(timedOut + "; sent again");
        }
        return compensate(saga, timedOut, now);
    }

    private Transition compensate(Saga saga, String failure, Instant now) {
        return issue(saga, MigrationState.COMPENSATING, MigrationStep.ABORT, saga.targetHostId(), 1, saga.state(),
                failure, now);
    }

    /** The target is undone first, so the guest never runs on both hosts; then the source resumes it. */
    private Transition abortConfirmed(Saga saga, Instant now) {
        boolean sourceTouched = saga.failedIn() == MigrationState.TRANSFERRING
                || saga.failedIn() == MigrationState.ACTIVATING || saga.failedIn() == MigrationState.CLEANING;
        if (saga.stepHostId().equals(saga.targetHostId()) && sourceTouched) {
            return issue(saga, MigrationState.COMPENSATING, MigrationStep.ABORT, saga.sourceHostId(), 1,
                    saga.failedIn(), saga.reason(), now);
        }
        return new Transition(saga.done(MigrationState.ROLLED_BACK, saga.reason()), List.of(),
                List.of(MigrationState.ROLLED_BACK), true, "guest runs on " + saga.sourceHostId());
    }

    private Transition issue(Saga saga, MigrationState state, MigrationStep step, String host, int attempt,
                             MigrationState failedIn, String reason, Instant now) {
        String commandId = commandId(saga.id(), label(saga, step, host), attempt);
        Instant deadline = now.plus(rules.stepTimeout());
        Saga next = saga.awaiting(state, step, host, attempt, commandId, deadline, failedIn, reason);
        List<MigrationState> entered = new ArrayList<>(1);
        if (state != saga.state()) {
            entered.add(state);
        }
        return new Transition(next, List.of(new StepCommand(commandId, step, host, now, deadline)), entered, true,
                step + " sent to " + host + " (attempt " + attempt + ")");
    }

    /**
     * Command ids are derived, not random: {@code <migration>:<step>:<attempt>}. A step's attempts are told apart,
     * and an outcome names the step it answers, whatever attempt it was.
     */
    static String commandId(String migrationId, String label, int attempt) {
        return migrationId + ":" + label + ":" + attempt;
    }

    private static String label(Saga saga, MigrationStep step, String host) {
        if (step != MigrationStep.ABORT) {
            return step.name();
        }
        return host.equals(saga.targetHostId()) ? ABORT_TARGET : ABORT_SOURCE;
    }

    private static boolean isAttemptOfCurrentStep(Saga saga, String commandId) {
        if (saga.step() == null || commandId == null) {
            return false;
        }
        String prefix = saga.id() + ":" + label(saga, saga.step(), saga.stepHostId()) + ":";
        return commandId.length() > prefix.length() && commandId.startsWith(prefix)
                && commandId.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }
}
