package dev.nuvola.scaler.messaging;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Handles batches on a thread of its own, one at a time and in the order they were submitted, while the submitter
 * goes on (with the scaler's inputs: Kafka's consumer parses the next poll's records while this thread decodes and
 * decides the last one's). The submitter is never more than {@code ahead} batches ahead, the one being handled
 * included, so the batches in memory stay bounded.
 * <p>
 * A batch that throws stops the worker: the batches after it are dropped unhandled, and {@link #submit} and
 * {@link #awaitIdle} throw what it threw, so the submitter stops too and commits nothing it did not handle.
 */
final class BatchWorker<B> implements AutoCloseable {
    private final Consumer<B> handler;
    private final int ahead;
    private final Thread thread;
    private final Object lock = new Object();
    /** Submitted and not yet handled; its first one is being handled. Guarded by lock. */
    private final ArrayDeque<B> pending = new ArrayDeque<>();
    private long finished;
    private Throwable failure;
    private boolean closed;

    BatchWorker(String threadName, int ahead, Consumer<B> handler) {
        if (ahead < 1) {
            throw new IllegalArgumentException("ahead must be at least 1, got " + ahead);
        }
        this.handler = handler;
        this.ahead = ahead;
        this.thread = new Thread(this::run, threadName);
        thread.start();
    }

    /** Hands a batch over; waits while {@code ahead} batches are pending. Throws the failure of an earlier batch. */
    void submit(B batch) throws InterruptedException {
        synchronized (lock) {
            while (pending.size() >= ahead && failure == null && !closed) {
                lock.wait();
            }
            throwIfFailed();
            if (closed) {
                throw new IllegalStateException("the worker is closed");
            }
            pending.addLast(batch);
            lock.notifyAll();
        }
    }

    /** Waits until every submitted batch is handled. Throws the failure of one that was not. */
    void awaitIdle() throws InterruptedException {
        synchronized (lock) {
            while (!pending.isEmpty() && failure == null && !closed) {
                lock.wait();
            }
            throwIfFailed();
        }
    }

    /** How many batches were handled so far. */
    long finished() {
        synchronized (lock) {
            return finished;
        }
    }

    /** Stops the thread once the batch it is handling is done; batches still waiting are not handled. */
    @Override
    public void close() throws InterruptedException {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        thread.join();
    }

    private void run() {
        while (true) {
            B batch;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    lock.notifyAll();
                    return;
                }
                batch = pending.peekFirst();
            }
            try {
                handler.accept(batch);
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    failure = e;
                    pending.clear();
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                pending.removeFirst();
                finished++;
                lock.notifyAll();
            }
        }
    }

    private void throwIfFailed() {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
