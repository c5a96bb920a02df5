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

/** Old applied event ids and old sent outbox entries go; recent ones and unsent entries stay. */
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

    private void sql(String statement, String id) {
        entityManager.createNativeQuery(statement).setParameter(1, id).executeUpdate();
    }

    private long count(String table, String id) {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM " + table + " WHERE event_id = ?1")
                .setParameter(1, id).getSingleResult()).longValue();
    }
}
