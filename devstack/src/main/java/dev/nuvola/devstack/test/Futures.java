package dev.nuvola.devstack.test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on a Kafka client's future in a test: 30 s at most, and a failure that says what failed. */
public final class Futures {
    private Futures() {
    }

    /**
     * The future's value.
     *
     * @param failure the message of the exception thrown when it fails or takes longer than 30 s
     */
    public static <T> T await(Future<T> future, String failure) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(failure, e);
        }
    }
}
