package dev.nuvola.agent.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;

/**
 * Whether this host is being drained. The migration service marks a drain by publishing this host's status
 * with state DRAINING (and ACTIVE when it ends); the agent, which publishes the host's status every few
 * seconds, keeps that state in what it publishes instead of overwriting it with ACTIVE.
 */
@ApplicationScoped
public class HostMode {
    private volatile HostState state = HostState.ACTIVE;
    private volatile Instant since = Instant.EPOCH;

    /** A status of this host published by someone else: a newer one sets the mode. */
    public synchronized void markedBy(HostStatus status) {
        if (status.observedAt().isBefore(since)) {
            return;
        }
        since = status.observedAt();
        state = status.state() == HostState.DRAINING ? HostState.DRAINING : HostState.ACTIVE;
    }

    public HostState state() {
        return state;
    }
}
