package dev.nuvola.migration.logic.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;

/** Every transition of the saga, and every failure and timeout branch. */
class MigrationSagaTest {
    private static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final MigrationSaga saga = new MigrationSaga(new MigrationSaga.Rules(TIMEOUT, 3));

    private static Saga requested() {
        return Saga.requested("m1", "xmpp-1", "src", new GuestSize(4096, 2), "host full");
    }

    /** A saga brought to {@code state} along the forward path. */
    private Saga at(MigrationState state) {
        Saga s = saga.plan(requested(), "dst", MigrationMethod.LIVE, "dst: best of 2").saga();
        if (state == MigrationState.PLANNED) {
            return s;
        }
        s = saga.start(s, T0).saga();
        for (MigrationState next : List.of(MigrationState.TRANSFERRING, MigrationState.ACTIVATING,
                MigrationState.CLEANING)) {
            if (s.state() == state) {
                return s;
            }
            s = saga.stepSucceeded(s, s.commandId(), T0).saga();
            assertThat(s.state()).isEqualTo(next);
        }
        assertThat(s.state()).isEqualTo(state);
        return s;
    }

    @Test
    void planningChoosesTheTargetAndMethod() {
        Transition t = saga.plan(requested(), "dst", MigrationMethod.SAVE_RESTORE, "dst: best of 2");
        assertThat(t.changed()).isTrue();
        assertThat(t.entered()).containsExactly(MigrationState.PLANNED);
        assertThat(t.commands()).isEmpty();
        assertThat(t.saga().targetHostId()).isEqualTo("dst");
        assertThat(t.saga().method()).isEqualTo(MigrationMethod.SAVE_RESTORE);
        assertThat(t.saga().reason()).isEqualTo("dst: best of 2");
        assertThat(saga.plan(t.saga(), "other", MigrationMethod.LIVE, "again").changed()).isFalse();
    }

    @Test
    void aRefusalIsFinalAndSaysWhy() {
        Transition t = saga.refuse(requested(), "no host fits xmpp-1");
        assertThat(t.saga().state()).isEqualTo(MigrationState.REFUSED);
        assertThat(t.entered()).containsExactly(MigrationState.REFUSED);
        assertThat(t.saga().reason()).isEqualTo("no host fits xmpp-1");
        assertThat(saga.refuse(at(MigrationState.PREPARING), "late").changed()).isFalse();
        assertThat(saga.tick(t.saga(), T0.plusSeconds(3600)).changed()).isFalse();
    }

    @Test
    void startingAsksTheTargetToPrepare() {
        Transition t = saga.start(at(MigrationState.PLANNED), T0);
        assertThat(t.entered()).containsExactly(MigrationState.PREPARING);
        assertThat(t.commands()).containsExactly(new StepCommand("m1:PREPARE_TARGET:1", MigrationStep.PREPARE_TARGET,
                "dst", T0, T0.plus(TIMEOUT)));
        assertThat(t.saga().stepDeadline()).isEqualTo(T0.plus(TIMEOUT));
        assertThat(saga.start(requested(), T0).changed()).isFalse();
        assertThat(saga.start(t.saga(), T0).changed()).isFalse();
    }

    @Test
    void theForwardPathSendsEachStepToItsHostAndCompletes() {
        Saga s = saga.start(at(MigrationState.PLANNED), T0).saga();
        Transition transfer = saga.stepSucceeded(s, "m1:PREPARE_TARGET:1", T0.plusSeconds(1));
        assertThat(transfer.entered()).containsExactly(MigrationState.TRANSFERRING);
        assertThat(transfer.commands()).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo(MigrationStep.TRANSFER);
            assertThat(c.hostId()).isEqualTo("src");
            assertThat(c.commandId()).isEqualTo("m1:TRANSFER:1");
            assertThat(c.deadline()).isEqualTo(T0.plusSeconds(1).plus(TIMEOUT));
        });
        Transition activate = saga.stepSucceeded(transfer.saga(), "m1:TRANSFER:1", T0.plusSeconds(2));
        assertThat(activate.entered()).containsExactly(MigrationState.ACTIVATING);
        assertThat(activate.commands()).extracting(StepCommand::step, StepCommand::hostId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MigrationStep.ACTIVATE, "dst"));
        Transition cleanup = saga.stepSucceeded(activate.saga(), "m1:ACTIVATE:1", T0.plusSeconds(3));
        assertThat(cleanup.entered()).containsExactly(MigrationState.CLEANING);
        assertThat(cleanup.commands()).extracting(StepCommand::step, StepCommand::hostId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MigrationStep.CLEANUP_SOURCE, "src"));
        Transition done = saga.stepSucceeded(cleanup.saga(), "m1:CLEANUP_SOURCE:1", T0.plusSeconds(4));
        assertThat(done.entered()).containsExactly(MigrationState.COMPLETED);
        assertThat(done.commands()).isEmpty();
        assertThat(done.saga().step()).isNull();
        assertThat(done.saga().stepDeadline()).isNull();
        assertThat(done.note()).isEqualTo("guest runs on dst");
        // A final saga ignores every late input.
        assertThat(saga.stepSucceeded(done.saga(), "m1:CLEANUP_SOURCE:1", T0).changed()).isFalse();
        assertThat(saga.stepFailed(done.saga(), "m1:CLEANUP_SOURCE:1", "late", T0).changed()).isFalse();
        assertThat(saga.tick(done.saga(), T0.plusSeconds(3600)).changed()).isFalse();
    }

    @Test
    void anOutcomeForAnotherStepOrMigrationIsIgnored() {
        Saga s = at(MigrationState.TRANSFERRING);
        assertThat(saga.stepSucceeded(s, "m1:PREPARE_TARGET:1", T0).changed()).as("a duplicate of the previous step")
                .isFalse();
        assertThat(saga.stepSucceeded(s, "m2:TRANSFER:1", T0).changed()).isFalse();
        assertThat(saga.stepSucceeded(s, "m1:TRANSFER:", T0).changed()).isFalse();
        assertThat(saga.stepSucceeded(s, "m1:TRANSFER:x", T0).changed()).isFalse();
        assertThat(saga.stepFailed(s, "m1:PREPARE_TARGET:1", "late", T0).changed()).isFalse();
        assertThat(saga.stepSucceeded(at(MigrationState.PLANNED), "m1:PREPARE_TARGET:1", T0).changed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = MigrationState.class, names = {"PREPARING", "TRANSFERRING", "ACTIVATING", "CLEANING"})
    void aFailedStepCompensatesByAbortingOnTheTargetFirst(MigrationState state) {
        Saga s = at(state);
        Transition t = saga.stepFailed(s, s.commandId(), "disk full", T0.plusSeconds(5));
        assertThat(t.entered()).containsExactly(MigrationState.COMPENSATING);
        assertThat(t.saga().failedIn()).isEqualTo(state);
        assertThat(t.saga().reason()).isEqualTo(s.step() + " failed on " + s.stepHostId() + ": disk full");
        assertThat(t.commands()).containsExactly(new StepCommand("m1:ABORT-TARGET:1", MigrationStep.ABORT, "dst",
                T0.plusSeconds(5), T0.plusSeconds(5).plus(TIMEOUT)));
    }

    @Test
    void aFailureWhileOnlyTheTargetWasTouchedRollsBackAfterItsAbort() {
        Saga s = at(MigrationState.PREPARING);
        Saga compensating = saga.stepFailed(s, s.commandId(), "no room after all", T0).saga();
        Transition t = saga.stepSucceeded(compensating, "m1:ABORT-TARGET:1", T0.plusSeconds(1));
        assertThat(t.entered()).containsExactly(MigrationState.ROLLED_BACK);
        assertThat(t.commands()).isEmpty();
        assertThat(t.saga().reason()).isEqualTo("PREPARE_TARGET failed on dst: no room after all");
        assertThat(t.note()).isEqualTo("guest runs on src");
    }

    @ParameterizedTest
    @EnumSource(value = MigrationState.class, names = {"TRANSFERRING", "ACTIVATING", "CLEANING"})
    void aFailureAfterTheSourceWasAskedToTransferAbortsOnBothHosts(MigrationState state) {
        Saga s = at(state);
        Saga compensating = saga.stepFailed(s, s.commandId(), "connection reset", T0).saga();
        Transition source = saga.stepSucceeded(compensating, "m1:ABORT-TARGET:1", T0.plusSeconds(1));
        assertThat(source.entered()).isEmpty();
        assertThat(source.saga().state()).isEqualTo(MigrationState.COMPENSATING);
        assertThat(source.commands()).extracting(StepCommand::commandId, StepCommand::hostId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m1:ABORT-SOURCE:1", "src"));
        // The target's abort reported twice changes nothing more.
        assertThat(saga.stepSucceeded(source.saga(), "m1:ABORT-TARGET:1", T0).changed()).isFalse();
        Transition done = saga.stepSucceeded(source.saga(), "m1:ABORT-SOURCE:1", T0.plusSeconds(2));
        assertThat(done.entered()).containsExactly(MigrationState.ROLLED_BACK);
        assertThat(done.saga().failedIn()).isEqualTo(state);
    }

    @Test
    void aTickBeforeTheDeadlineDoesNothing() {
        Saga s = at(MigrationState.PREPARING);
        assertThat(saga.tick(s, T0.plus(TIMEOUT).minusMillis(1)).changed()).isFalse();
        assertThat(saga.tick(at(MigrationState.PLANNED), T0.plusSeconds(3600)).changed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = MigrationState.class, names = {"PREPARING", "TRANSFERRING", "ACTIVATING", "CLEANING"})
    void aTimedOutStepIsSentAgainUnderANewIdThenCompensated(MigrationState state) {
        Saga s = at(state);
        MigrationStep step = s.step();
        Instant now = T0.plus(TIMEOUT);
        Transition second = saga.tick(s, now);
        assertThat(second.entered()).isEmpty();
        assertThat(second.commands()).extracting(StepCommand::commandId).containsExactly("m1:" + step + ":2");
        assertThat(second.saga().attempt()).isEqualTo(2);
        assertThat(second.saga().stepDeadline()).isEqualTo(now.plus(TIMEOUT));
        assertThat(second.note()).contains("timed out").contains("sent again");
        Transition third = saga.tick(second.saga(), now.plus(TIMEOUT));
        assertThat(third.commands()).extracting(StepCommand::commandId).containsExactly("m1:" + step + ":3");
        Transition gaveUp = saga.tick(third.saga(), now.plus(TIMEOUT).plus(TIMEOUT));
        assertThat(gaveUp.entered()).containsExactly(MigrationState.COMPENSATING);
        assertThat(gaveUp.saga().reason()).isEqualTo(step + " timed out on " + s.stepHostId() + " (attempt 3 of 3)");
        assertThat(gaveUp.commands()).extracting(StepCommand::step).containsExactly(MigrationStep.ABORT);
    }

    @Test
    void aLateSuccessOfAnEarlierAttemptAdvancesButItsFailureDoesNot() {
        Saga s = saga.tick(at(MigrationState.TRANSFERRING), T0.plus(TIMEOUT)).saga();
        assertThat(s.commandId()).isEqualTo("m1:TRANSFER:2");
        assertThat(saga.stepFailed(s, "m1:TRANSFER:1", "past its deadline", T0).changed()).isFalse();
        Transition t = saga.stepSucceeded(s, "m1:TRANSFER:1", T0.plus(TIMEOUT).plusSeconds(1));
        assertThat(t.entered()).containsExactly(MigrationState.ACTIVATING);
    }

    @Test
    void anAbortRefusedBecauseTheGuestAlreadyRunsOnTheTargetFinishesTheMoveInstead() {
        Saga s = saga.stepFailed(at(MigrationState.ACTIVATING), "m1:ACTIVATE:1", "timed out", T0).saga();
        assertThat(s.state()).isEqualTo(MigrationState.COMPENSATING);
        Transition forward = saga.stepFailed(s, "m1:ABORT-TARGET:1",
                "ACTIVE_ON_TARGET: xmpp-1 already runs on dst", T0.plusSeconds(1));
        assertThat(forward.saga().state()).isEqualTo(MigrationState.CLEANING);
        assertThat(forward.commands()).extracting(StepCommand::step, StepCommand::hostId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MigrationStep.CLEANUP_SOURCE, "src"));
        Transition done = saga.stepSucceeded(forward.saga(), forward.saga().commandId(), T0.plusSeconds(2));
        assertThat(done.entered()).containsExactly(MigrationState.COMPLETED);
        // Any other refusal of an ABORT is retried at its deadline, as before.
        assertThat(saga.stepFailed(s, "m1:ABORT-TARGET:1", "libvirt unreachable", T0).changed()).isFalse();
    }

    @Test
    void compensationIsNeverGivenUp() {
        Saga s = saga.stepFailed(at(MigrationState.ACTIVATING), "m1:ACTIVATE:1", "crashed", T0).saga();
        Instant now = T0;
        for (int attempt = 2; attempt <= 10; attempt++) {
            now = now.plus(TIMEOUT);
            Transition t = saga.tick(s, now);
            assertThat(t.saga().state()).isEqualTo(MigrationState.COMPENSATING);
            assertThat(t.commands()).extracting(StepCommand::commandId).containsExactly("m1:ABORT-TARGET:" + attempt);
            s = t.saga();
        }
        assertThat(s.failedIn()).isEqualTo(MigrationState.ACTIVATING);
        assertThat(s.reason()).isEqualTo("ACTIVATE failed on dst: crashed");
    }

    @Test
    void aFailedAbortIsSentAgainAtItsDeadlineNotAtOnce() {
        Saga s = saga.stepFailed(at(MigrationState.TRANSFERRING), "m1:TRANSFER:1", "crashed", T0).saga();
        s = saga.stepSucceeded(s, "m1:ABORT-TARGET:1", T0).saga();
        Transition failed = saga.stepFailed(s, "m1:ABORT-SOURCE:1", "libvirt unreachable", T0.plusSeconds(1));
        assertThat(failed.changed()).isFalse();
        assertThat(failed.note()).contains("ABORT failed on src: libvirt unreachable");
        Transition again = saga.tick(s, s.stepDeadline());
        assertThat(again.commands()).extracting(StepCommand::commandId, StepCommand::hostId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m1:ABORT-SOURCE:2", "src"));
        assertThat(saga.stepSucceeded(again.saga(), "m1:ABORT-SOURCE:1", T0.plusSeconds(40)).entered())
                .containsExactly(MigrationState.ROLLED_BACK);
    }

    @Test
    void rulesAreChecked() {
        assertThatThrownBy(() -> new MigrationSaga.Rules(Duration.ZERO, 3)).hasMessageContaining("stepTimeout");
        assertThatThrownBy(() -> new MigrationSaga.Rules(TIMEOUT, 0)).hasMessageContaining("maxAttempts");
    }
}
