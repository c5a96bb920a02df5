package dev.nuvola.scaler.logic;

import java.util.List;

import dev.nuvola.events.GuestSize;

/** What to do about a guest that should grow, given its host's room. */
public sealed interface GrowPlan {

    String reason();

    /** The host has room: resize in place. */
    record Resize(GuestSize target, String reason) implements GrowPlan {
    }

    /** No room, and the guest may move: move it to a host where it fits at its new size. */
    record MoveGuest(GuestSize requiredSize, String reason) implements GrowPlan {
    }

    /** No room and the guest stays: move these lower-priority neighbours away, then grow. */
    record MakeRoom(List<String> neighbours, GuestSize target, String reason) implements GrowPlan {
        public MakeRoom {
            neighbours = List.copyOf(neighbours);
        }
    }

    /** Nothing can be done now; the reason says why. */
    record Refuse(String reason) implements GrowPlan {
    }
}
