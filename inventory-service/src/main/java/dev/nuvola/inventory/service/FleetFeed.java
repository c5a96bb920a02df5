package dev.nuvola.inventory.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The live feed behind {@code GET /api/v1/events}: every change the inventory commits. A transaction's changes
 * are announced after it commits, in the order they were made (a rolled-back change is never shown). Each
 * subscriber has a bounded buffer: one that falls that far behind loses its stream, and the dashboard reconnects
 * and reloads, rather than slowing the consumers down.
 */
@ApplicationScoped
public class FleetFeed {
    static final int SUBSCRIBER_BUFFER = 10_000;
    private static final Object PENDING = FleetFeed.class.getName() + ".pending";

    /** One committed change. {@code kind}: HOST, GUEST, RESIZE, MIGRATION, SAMPLE, POLICY, PREFIX, ADDRESS. */
    public record Change(String kind, String id, Instant at, Object data) {
    }

    private final BroadcastProcessor<Change> processor = BroadcastProcessor.create();
    private final TransactionSynchronizationRegistry transactions;

    FleetFeed(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Called inside the transaction that makes the change; delivered once it commits. */
    @SuppressWarnings("unchecked")
    public void announce(String kind, String id, Instant at, Object data) {
        Change change = new Change(kind, id, at, data);
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            emit(List.of(change));
            return;
        }
        List<Change> pending = (List<Change>) transactions.getResource(PENDING);
        if (pending == null) {
            List<Change> changes = new ArrayList<>();
            transactions.putResource(PENDING, changes);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        emit(changes);
                    }
                }
            });
            pending = changes;
        }
        pending.add(change);
    }

    private void emit(List<Change> changes) {
        // BroadcastProcessor is not safe for concurrent onNext: consumers of several channels commit at once.
        synchronized (processor) {
            changes.forEach(processor::onNext);
        }
    }

    public Multi<Change> stream() {
        return processor.onOverflow().buffer(SUBSCRIBER_BUFFER);
    }
}
