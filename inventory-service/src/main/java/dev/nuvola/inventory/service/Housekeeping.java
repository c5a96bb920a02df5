package dev.nuvola.inventory.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.nuvola.inventory.config.InventoryConfig;
import dev.nuvola.inventory.model.GuestSample;
import dev.nuvola.inventory.model.OutboxEntry;
import dev.nuvola.inventory.model.ProcessedEvent;
import io.quarkus.scheduler.Scheduled;

/** Deletes what only grows: applied event ids, sent outbox entries and kept samples, once they are old enough to be useless. */
@ApplicationScoped
public class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final InventoryConfig config;

    Housekeeping(InventoryConfig config) {
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void run() {
        Instant now = Instant.now();
        long events = ProcessedEvent.delete("processedAt < ?1", now.minus(config.processedEventRetention()));
        long sent = OutboxEntry.delete("sentAt < ?1", now.minus(config.outbox().keepSent()));
        LOG.infof("housekeeping: %d applied event ids and %d sent outbox entries deleted", events, sent);
    }

    /** Often, so that each delete is small: a thousand samples a second are kept at fleet scale. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void pruneSamples() {
        long samples = GuestSample.delete("sampledAt < ?1", Instant.now().minus(config.sampleRetention()));
        LOG.debugf("housekeeping: %d samples older than %s deleted", samples, config.sampleRetention());
    }
}
