package dev.nuvola.inventory.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An IPv6 prefix guests get addresses from. The database also keeps it as CIDR, to refuse overlaps. */
@Entity
@Table(name = "ipv6_prefix")
public class Prefix extends PanacheEntityBase {
    public enum Scope {
        /** Every guest of the site the inventory serves. */
        SITE,
        /** The guests on one host; wins over the site's prefix for them. */
        HOST
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    /** Canonical text (RFC 5952 address, slash, length). */
    public String prefix;
    @Enumerated(EnumType.STRING)
    public Scope scope;
    @Column(name = "scope_id")
    public String scopeId;
    @Column(name = "next_offset")
    public long nextOffset;
    @Column(name = "created_at")
    public Instant createdAt;
}
