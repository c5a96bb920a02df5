package dev.nuvola.migration.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An event or command written with the state change that caused it, waiting for the relay to publish it. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    @Column(name = "event_id")
    public String eventId;
    /** The CloudEvents type name: tells the relay which record the payload is. */
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "record_key")
    public String recordKey;
    public byte[] payload;
    @Column(name = "created_at")
    public Instant createdAt;
}
