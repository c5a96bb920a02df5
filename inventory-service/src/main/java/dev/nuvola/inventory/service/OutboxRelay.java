package dev.nuvola.inventory.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventCodec;
import dev.nuvola.events.EventType;
import dev.nuvola.inventory.config.InventoryConfig;
import dev.nuvola.inventory.model.OutboxEntry;
import dev.nuvola.kit.messaging.EventPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Relays committed outbox entries to Kafka, oldest first, under their own event ids, and marks them sent in the
 * transaction that locked them. A crash between the send and the commit sends an entry again with the same id,
 * which consumers dedupe: at least once on the wire, once in effect. Woken after every commit that wrote an
 * entry, and polled in case a wake-up was lost (a crash, the broker down).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EventPublisher publisher;
    private final InventoryConfig config;
    /** One relay at a time in this process, so that entries leave in order. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "nuvola-outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Set at shutdown, before the database goes: a poll then would only fail. */
    private volatile boolean stopping;

    OutboxRelay(EventPublisher publisher, InventoryConfig config) {
        this.publisher = publisher;
        this.config = config;
    }

    /** Runs a relay soon; a wake-up during a relay runs another after it, so no entry waits for the poll. */
    public void wake() {
        if (stopping) {
            return;
        }
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                try {
                    relayPending();
                } catch (RuntimeException e) {
                    LOG.warnf("outbox relay failed, retried at the next poll: %s", e.toString());
                }
            });
        }
    }

    @Scheduled(every = "${nuvola.inventory.outbox.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** Sends every unsent entry; returns how many. Throws (entries stay unsent) when the broker does not take one. */
    public int relayPending() {
        int total = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(this::relayBatch);
            total += batch;
        } while (batch == config.outbox().batch());
        return total;
    }

    private int relayBatch() {
        List<OutboxEntry> entries = OutboxEntry.lockUnsent(config.outbox().batch());
        for (OutboxEntry entry : entries) {
            EventType type = EventType.ofCeType(entry.eventType);
            Record event = EventCodec.decode(entry.payload.getBytes(StandardCharsets.UTF_8), type.recordClass());
            publisher.publishAndAwait(entry.recordKey, event,
                    new CloudEvent(entry.eventId, entry.eventType, entry.source, entry.eventTime));
            entry.sentAt = Instant.now();
            LOG.debugf("outbox entry %d (event %s, key %s) sent to %s", entry.id, entry.eventId, entry.recordKey,
                    type.topic());
        }
        return entries.size();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
