package dev.nuvola.agent.service;

import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * One change to this host's guests at a time. Resizes and migration steps arrive on different channels, and each
 * checks the host's free room before it takes some: done concurrently, two could both see the same room free.
 */
@ApplicationScoped
public class HostChanges {
    private final ReentrantLock lock = new ReentrantLock();

    public ReentrantLock lock() {
        return lock;
    }
}
