package dev.nuvola.migration.logic.saga;

import java.util.List;

import dev.nuvola.events.MigrationState;

/**
 * What one input did to a saga: its next state, the commands to send and every state it entered, in order
 * (each becomes a STATE_CHANGED event). {@code changed} is false when the input did not apply (a duplicate, a
 * stale outcome, a tick before the deadline): the caller then writes nothing.
 */
public record Transition(Saga saga, List<StepCommand> commands, List<MigrationState> entered, boolean changed,
                         String note) {

    Transition withNote(String newNote) {
        return new Transition(saga, commands, entered, changed, newNote);
    }

    static Transition unchanged(Saga saga, String note) {
        return new Transition(saga, List.of(), List.of(), false, note);
    }
}
