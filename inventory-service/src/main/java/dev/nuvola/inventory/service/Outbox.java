package dev.nuvola.inventory.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventCodec;
import dev.nuvola.inventory.model.OutboxEntry;
import dev.nuvola.kit.messaging.EventPublisher;

/**
 * Events to publish, written in the caller's transaction: they reach Kafka (through {@link OutboxRelay}) if and
 * only if that transaction commits. No dual write: the database is the only thing a request writes to.
 */
@ApplicationScoped
public class Outbox {
    /** Fired in the writing transaction; the relay is woken once it has committed. */
    record Written(long id) {
    }

    private final EventPublisher publisher;
    private final Event<Written> written;
    private final OutboxRelay relay;

    Outbox(EventPublisher publisher, Event<Written> written, OutboxRelay relay) {
        this.publisher = publisher;
        this.written = written;
        this.relay = relay;
    }

    /** Returns the event's id, which travels to Kafka as its ce_id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String add(String key, Record event) {
        CloudEvent meta = publisher.newEvent(event.getClass());
        OutboxEntry entry = new OutboxEntry();
        entry.eventId = meta.id();
        entry.eventType = meta.type();
        entry.source = meta.source();
        entry.eventTime = meta.time();
        entry.recordKey = key;
        entry.payload = new String(EventCodec.encode(event), java.nio.charset.StandardCharsets.UTF_8);
        entry.persist();
        written.fire(new Written(entry.id));
        return meta.id();
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Written entry) {
        relay.wake();
    }
}
