package dev.nuvola.migration.repository;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationState;
import dev.nuvola.migration.model.Drain;
import dev.nuvola.migration.model.Migration;

/** The saga table's queries beyond a lookup by id. */
@ApplicationScoped
public class MigrationQueries {
    /** Room promised on a target to a migration: held from planning until its guest shows in the target's status. */
    public record Reservation(String targetHostId, String guestId, GuestSize size) {
    }

    /** States in which a saga holds room on its target. */
    public static final Set<MigrationState> HOLDING = EnumSet.of(MigrationState.PLANNED, MigrationState.PREPARING,
            MigrationState.TRANSFERRING, MigrationState.ACTIVATING, MigrationState.CLEANING,
            MigrationState.COMPENSATING);
    private final EntityManager em;

    MigrationQueries(EntityManager em) {
        this.em = em;
    }

    /** The saga, locked for update until the transaction ends: one input at a time per saga. */
    public Migration lock(String id) {
        return em.find(Migration.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Serialises planning across threads and instances until the transaction ends, so that two plans never
     * spend the same room: each sees the other's reservation.
     */
    public void lockPlanning() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(6006)").getSingleResult();
    }

    /**
     * Reservations of sagas in flight, and of those completed since {@code completedSince}: a completed guest may
     * not show in its target's status yet (the agent publishes at least every 10 s).
     */
    public List<Reservation> reservations(Instant completedSince) {
        List<Migration> holding = Migration.list(
                "targetHostId is not null and (state in ?1 or (state = ?2 and updatedAt > ?3))",
                HOLDING, MigrationState.COMPLETED, completedSince);
        return holding.stream()
                .map(m -> new Reservation(m.targetHostId, m.guestId, new GuestSize(m.requiredMemoryMiB, m.requiredVcpus)))
                .toList();
    }

    /** Rolled-back migrations per target since {@code since}. */
    public Map<String, Integer> failuresSince(Instant since) {
        List<Object[]> rows = em.createQuery("select m.targetHostId, count(m) from Migration m where m.state = :s"
                + " and m.failedIn is not null and m.updatedAt > :since group by m.targetHostId", Object[].class)
                .setParameter("s", MigrationState.ROLLED_BACK).setParameter("since", since).getResultList();
        Map<String, Integer> failures = new HashMap<>();
        for (Object[] row : rows) {
            failures.put((String) row[0], ((Number) row[1]).intValue());
        }
        return failures;
    }

    /** Hosts a drain keeps out of placement. */
    public Set<String> drainedHosts() {
        return Set.copyOf(em.createQuery("select distinct d.hostId from Drain d where d.state <> :ended", String.class)
                .setParameter("ended", Drain.State.ENDED).getResultList());
    }

    /** Sagas whose current attempt is past its deadline. */
    public List<String> due(Instant now) {
        return em.createQuery("select m.id from Migration m where m.stepDeadline <= :now order by m.stepDeadline",
                String.class).setParameter("now", now).setMaxResults(500).getResultList();
    }

    public List<String> idsIn(MigrationState state) {
        return em.createQuery("select m.id from Migration m where m.state = :s order by m.requestedAt", String.class)
                .setParameter("s", state).setMaxResults(500).getResultList();
    }

    /**
     * Another saga of this guest past planning and not ended, if any: a guest moves once at a time. Requests not
     * planned yet do not count; of two, the first planned goes and the other is refused.
     */
    public Optional<Migration> otherInFlight(String guestId, String exceptId) {
        return Migration.<Migration>find("guestId = ?1 and id <> ?2 and state in ?3", guestId, exceptId, HOLDING)
                .firstResultOptional();
    }
}
