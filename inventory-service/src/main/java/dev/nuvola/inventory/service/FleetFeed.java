package dev.nuvola.inventory.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The live feed behind {@code GET /api/v1/events}: every change the inventory commits, in commit order. A change
 * is announced only after its transaction committed (a rolled-back change is never shown), and a subscriber too
 * slow to keep up loses changes rather than slowing the consumers down; the dashboard reloads on reconnect.
 */
@ApplicationScoped
public class FleetFeed {

    /** One committed change. {@code kind}: HOST, GUEST, RESIZE, MIGRATION, SAMPLE, POLICY, PREFIX. */
    public record Change(String kind, String id, Instant at, Object data) {
    }

    private final BroadcastProcessor<Change> processor = BroadcastProcessor.create();
    private final Event<Change> changes;

    FleetFeed(Event<Change> changes) {
        this.changes = changes;
    }

    /** Called inside the transaction that makes the change; delivered after it commits. */
    public void announce(String kind, String id, Instant at, Object data) {
        changes.fire(new Change(kind, id, at, data));
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Change change) {
        // BroadcastProcessor is not safe for concurrent onNext: consumers of several channels commit at once.
        synchronized (processor) {
            processor.onNext(change);
        }
    }

    public Multi<Change> stream() {
        return processor.onOverflow().drop();
    }
}
