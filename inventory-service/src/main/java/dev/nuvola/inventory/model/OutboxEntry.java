package dev.nuvola.inventory.model;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.LockOptions;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** An event waiting to be relayed to Kafka; see {@code OutboxRelay}. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "event_type")
    public String eventType;
    public String source;
    @Column(name = "event_time")
    public Instant eventTime;
    @Column(name = "record_key")
    public String recordKey;
    /** The event's JSON, as the events module encodes it. */
    public String payload;
    @Column(name = "sent_at")
    public Instant sentAt;

    /**
     * The oldest unsent entries, locked; SKIP LOCKED lets two instances relay different entries instead of
     * waiting for each other.
     */
    public static List<OutboxEntry> lockUnsent(int max) {
        return find("sentAt is null", Sort.by("id")).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED).page(0, max).list();
    }
}
