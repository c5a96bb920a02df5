package dev.nuvola.migration.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.events.Capability;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;
import dev.nuvola.migration.config.MigrationConfig;
import dev.nuvola.migration.logic.placement.DrainPlanner;
import dev.nuvola.migration.logic.placement.GuestToPlace;
import dev.nuvola.migration.logic.placement.HostRoom;
import dev.nuvola.migration.logic.placement.Placement;
import dev.nuvola.migration.logic.placement.Placer;
import dev.nuvola.migration.repository.MigrationQueries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Placement against the fleet as it is now: the latest statuses, the reservations and drains in the database. */
@ApplicationScoped
public class PlacementService {
    /** How long a completed migration's reservation may still be needed (see MigrationQueries#reservations). */
    private static final java.time.Duration STATUS_LAG = java.time.Duration.ofMinutes(2);

    private final FleetView fleet;
    private final MigrationQueries queries;
    private final MigrationConfig config;
    private final Placer placer;
    private final Timer decisions;

    PlacementService(FleetView fleet, MigrationQueries queries, MigrationConfig config, MeterRegistry meters) {
        this.decisions = Timer.builder("nuvola.migration.placement").description("one placement decision, the"
                + " fleet view and reservations included").publishPercentiles(0.5, 0.99).register(meters);
        this.fleet = fleet;
        this.queries = queries;
        this.config = config;
        MigrationConfig.Weights w = config.weights();
        this.placer = Placer.standard(new Placer.Multipliers(w.freeMemory(), w.balance(), w.recentFailures()));
    }

    /** Needs a transaction (it reads reservations). */
    public List<HostRoom> rooms() {
        Instant now = Instant.now();
        return fleet.rooms(queries.reservations(now.minus(STATUS_LAG)), queries.failuresSince(now.minus(config.failureWindow())),
                queries.drainedHosts());
    }

    /** The guest as placement sees it: its policy's constraints and its source's driver. */
    public GuestToPlace guest(String guestId, GuestSize size, HostStatus source, String requiredHostId) {
        GuestPolicy policy = fleet.policy(guestId).orElse(null);
        Set<Capability> sourceCaps = source == null ? null : source.capabilities();
        return new GuestToPlace(guestId, size, source == null ? null : source.hostId(), sourceCaps,
                policy != null && policy.neverRestart(), policy == null ? null : policy.antiAffinityGroup(),
                requiredHostId);
    }

    public Placement place(GuestToPlace guest) {
        return decisions.record(() -> placer.place(guest, rooms()));
    }

    public Placement dryRun(GuestSize size, boolean neverRestart, String antiAffinityGroup) {
        return placer.place(GuestToPlace.dryRun(size, neverRestart, antiAffinityGroup), rooms());
    }

    /** Every guest of the host placed over the others, or the reason they do not fit. */
    public DrainPlanner.DrainPlan planDrain(HostStatus host) {
        List<GuestToPlace> guests = new ArrayList<>();
        for (HostGuest g : host.guests()) {
            GuestPolicy policy = fleet.policy(g.guestId()).orElse(null);
            if (policy != null && !policy.migratable()) {
                return new DrainPlanner.DrainPlan(List.of(), "guest " + g.guestId() + " is not migratable (its policy)");
            }
            guests.add(guest(g.guestId(), new GuestSize(g.memoryMiB(), g.vcpus()), host, null));
        }
        return DrainPlanner.plan(guests, rooms(), placer);
    }
}
