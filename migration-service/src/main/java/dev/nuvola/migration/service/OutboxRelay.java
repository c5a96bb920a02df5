package dev.nuvola.migration.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventCodec;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.EventType;
import dev.nuvola.kit.messaging.KafkaEvents;
import dev.nuvola.migration.model.OutboxEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes the outbox in order, one batch at a time: the batch's rows are locked (SKIP LOCKED, so a second
 * instance takes other rows), sent, acknowledged by the broker, then deleted in the same transaction. A crash
 * after the send and before the commit sends the batch again with the same event ids, which consumers dedupe:
 * at least once, never lost. Woken after every commit that wrote a row, and every 250 ms regardless (rows left
 * by a previous run, a send that failed).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    private final MutinyEmitter<byte[]> emitter;
    private final EntityManager em;
    private final String source;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(@Channel("events-out") MutinyEmitter<byte[]> emitter, EntityManager em,
                @ConfigProperty(name = "nuvola.event-source") String source) {
        this.emitter = emitter;
        this.em = em;
        this.source = source;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake.release();
        if (thread != null) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written event) {
        wake.release();
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(250, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                while (running && relayBatch() == BATCH) {
                    // a full batch: there may be more
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay: %s; trying again shortly", e.toString());
                sleepQuietly();
            }
        }
    }

    /** Publishes up to one batch; returns how many rows it published. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<OutboxEntry> entries = em.createNativeQuery(
                    "SELECT * FROM outbox ORDER BY seq LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED", OutboxEntry.class)
                    .getResultList();
            if (entries.isEmpty()) {
                return 0;
            }
            List<Uni<Void>> sends = new ArrayList<>(entries.size());
            for (OutboxEntry e : entries) {
                EventType type = EventType.ofCeType(e.eventType);
                Record event = EventCodec.decode(e.payload, type.recordClass());
                CloudEvent meta = new CloudEvent(e.eventId, e.eventType, source, e.createdAt);
                // One producer sends them in this order; idempotence keeps that order per partition on retries.
                sends.add(emitter.sendMessage(KafkaEvents.toMessage(EventRecords.create(e.recordKey, event, meta))));
            }
            Uni.join().all(sends).andFailFast().await().atMost(KafkaEvents.SEND_TIMEOUT);
            for (OutboxEntry e : entries) {
                e.delete();
            }
            return entries.size();
        });
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
