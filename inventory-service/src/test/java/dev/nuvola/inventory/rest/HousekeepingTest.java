package dev.nuvola.inventory.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.inventory.TestFleet;
import dev.nuvola.inventory.service.Housekeeping;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Old applied event ids, old sent outbox entries and old samples go; recent ones and unsent entries stay. */
@QuarkusTest
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class HousekeepingTest {
    @Inject
    Housekeeping housekeeping;
    @Inject
    EntityManager entityManager;

    /**
     * All in one transaction, rolled back at the end: the unsent entry is never visible to the relay (which would
     * try to send it), and nothing is left behind.
     */
    @Test
    void deletesOnlyWhatIsOldEnough() {
        String old = TestFleet.unique("old"), recent = TestFleet.unique("recent");
        String oldSent = TestFleet.unique("old-sent"), oldUnsent = TestFleet.unique("old-unsent");
        QuarkusTransaction.begin();
        try {
            sql("INSERT INTO processed_event VALUES (?1, now() - interval '8 days')", old);
            sql("INSERT INTO processed_event VALUES (?1, now() - interval '1 day')", recent);
            String outbox = "INSERT INTO outbox (event_id, event_type, source, event_time, record_key, payload, sent_at)"
                    + " VALUES (?1, 't', 's', now() - interval '2 days', 'k', '{}', %s)";
            sql(outbox.formatted("now() - interval '2 days'"), oldSent);
            sql(outbox.formatted("NULL"), oldUnsent);

            housekeeping.run();

            assertThat(count("processed_event", old)).isZero();
            assertThat(count("processed_event", recent)).isEqualTo(1);
            assertThat(count("outbox", oldSent)).isZero();
            // Never sent: the relay still owes it to Kafka, however old it is.
            assertThat(count("outbox", oldUnsent)).isEqualTo(1);
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    /** The samples' retention is 6 h (the default): one of 7 h goes, one of 5 h stays, whatever their guest. */
    @Test
    void prunesSamplesOlderThanTheRetention() {
        String guest = TestFleet.unique("sampled");
        QuarkusTransaction.begin();
        try {
            String sample = "INSERT INTO guest_sample VALUES (?1, now() - interval '%s', 4096, 1024, 2, 0.5)";
            sql(sample.formatted("7 hours"), guest);
            sql(sample.formatted("5 hours"), guest);

            housekeeping.pruneSamples();

            assertThat(((Number) entityManager.createNativeQuery(
                    "SELECT count(*) FROM guest_sample WHERE guest_id = ?1 AND sampled_at > now() - interval '6 hours'")
                    .setParameter(1, guest).getSingleResult()).longValue()).isEqualTo(1);
            assertThat(((Number) entityManager.createNativeQuery("SELECT count(*) FROM guest_sample WHERE guest_id = ?1")
                    .setParameter(1, guest).getSingleResult()).longValue()).isEqualTo(1);
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    private void sql(String statement, String id) {
        entityManager.createNativeQuery(statement).setParameter(1, id).executeUpdate();
    }

    private long count(String table, String id) {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM " + table + " WHERE event_id = ?1")
                .setParameter(1, id).getSingleResult()).longValue();
    }
}
