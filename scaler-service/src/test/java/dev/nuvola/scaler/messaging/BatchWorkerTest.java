package dev.nuvola.scaler.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BatchWorkerTest {

    @Test
    void handlesEveryBatchInOrderAndAwaitIdleWaitsForTheLast() throws Exception {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        try (BatchWorker<Integer> worker = new BatchWorker<>("test-worker", 2, batch -> {
            sleep(1);
            handled.add(batch);
        })) {
            for (int i = 0; i < 200; i++) {
                worker.submit(i);
            }
            worker.awaitIdle();
            assertThat(handled).hasSize(200);
            assertThat(handled).isSorted();
            assertThat(worker.finished()).isEqualTo(200);
        }
    }

    @Test
    void theSubmitterIsNeverMoreThanAheadBatchesAhead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        try (BatchWorker<Integer> worker = new BatchWorker<>("test-worker", 2, batch -> {
            started.incrementAndGet();
            await(release);
        })) {
            worker.submit(1);
            worker.submit(2);
            Thread submitter = new Thread(() -> {
                try {
                    worker.submit(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            submitter.start();
            submitter.join(300);
            // One being handled and one waiting: the third waits for room.
            assertThat(submitter.isAlive()).isTrue();
            assertThat(started.get()).isEqualTo(1);
            release.countDown();
            submitter.join(5000);
            assertThat(submitter.isAlive()).isFalse();
            worker.awaitIdle();
            assertThat(worker.finished()).isEqualTo(3);
        }
    }

    @Test
    void aFailedBatchStopsTheWorkerAndItsFailureReachesTheSubmitter() throws Exception {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("the database is down");
        try (BatchWorker<Integer> worker = new BatchWorker<>("test-worker", 2, batch -> {
            if (batch == 3) {
                throw boom;
            }
            handled.add(batch);
        })) {
            for (int i = 1; i <= 3; i++) {
                worker.submit(i);
            }
            assertThatThrownBy(worker::awaitIdle).isSameAs(boom);
            assertThatThrownBy(() -> worker.submit(4)).isSameAs(boom);
            assertThat(handled).containsExactly(1, 2);
            assertThat(worker.finished()).isEqualTo(2);
        }
    }

    @Test
    void closeLetsTheBatchBeingHandledFinishAndDropsTheRest() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        List<Integer> handled = new CopyOnWriteArrayList<>();
        BatchWorker<Integer> worker = new BatchWorker<>("test-worker", 2, batch -> {
            inside.countDown();
            sleep(100);
            handled.add(batch);
        });
        worker.submit(1);
        worker.submit(2);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        worker.close();
        assertThat(handled).containsExactly(1);
        assertThatThrownBy(() -> worker.submit(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToRunWithoutRoomForOneBatch() {
        assertThatThrownBy(() -> new BatchWorker<Integer>("test-worker", 0, batch -> {
        })).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
