package dev.nuvola.migration.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import dev.nuvola.events.EventCodec;
import dev.nuvola.events.EventType;
import dev.nuvola.migration.model.OutboxEntry;

/**
 * The transactional outbox: an event or command is a row written in the transaction that changes the saga,
 * so both commit or neither does. {@link OutboxRelay} publishes the rows afterwards; there is no
 * persist-then-send path that a crash between the two could split.
 */
@ApplicationScoped
public class Outbox {
    /** Fired in the writing transaction; the relay observes it after commit to publish without waiting. */
    public record Written() {
    }

    private final Event<Written> written;

    Outbox(Event<Written> written) {
        this.written = written;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(String key, Record event) {
        EventType type = EventType.of(event.getClass());
        if (!key.equals(type.keyOf(event))) {
            throw new IllegalArgumentException("key must be the aggregate id " + type.keyOf(event));
        }
        OutboxEntry entry = new OutboxEntry();
        entry.eventId = UUID.randomUUID().toString();
        entry.eventType = type.ceType();
        entry.recordKey = key;
        entry.payload = EventCodec.encode(event);
        entry.createdAt = Instant.now();
        entry.persist();
        written.fire(new Written());
    }
}
