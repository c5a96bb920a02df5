package dev.nuvola.inventory.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A guest's IPv6 address: one per guest, never shared, kept when the guest moves. */
@Entity
@Table(name = "guest_address")
public class GuestAddress extends PanacheEntityBase {
    @Id
    @Column(name = "guest_id")
    public String guestId;
    public String address;
    @Column(name = "prefix_id")
    public long prefixId;
    @Column(name = "allocated_at")
    public Instant allocatedAt;
}
