package dev.nuvola.inventory.rest;

import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static dev.nuvola.inventory.TestFleet.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.Topics;
import dev.nuvola.inventory.logic.PolicyRules;
import dev.nuvola.inventory.service.PolicyService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Policies over REST, published through the outbox to the real broker. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class PolicyOutboxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    static final TestKafka kafka = TestKafka.shared();

    @Inject
    EntityManager entityManager;
    @Inject
    PolicyService policies;

    @Test
    void aPolicyIsStoredAndArrivesOnTheCompactedTopicUnderItsOutboxEventId() {
        String guest = guestWithLimits(8192, 4);
        asOperator().contentType("application/json")
                .body("""
                        {"minMemoryMiB":1024,"maxMemoryMiB":6144,"minVcpus":1,"maxVcpus":4,"priority":50,
                         "migratable":false,"neverRestart":true,"antiAffinityGroup":"xmpp"}""")
                .put("/api/v1/guests/{id}/policy", guest).then().statusCode(200)
                .body("guestId", equalTo(guest))
                .body("maxMemoryMiB", equalTo(6144))
                .body("targetMemoryUtilisation", equalTo(0.75f))
                .body("neverRestart", equalTo(true));

        ConsumerRecord<String, byte[]> published = awaitPolicyRecord(guest);
        GuestPolicy policy = EventRecords.read(published, GuestPolicy.class).payload();
        assertThat(policy.minMemoryMiB()).isEqualTo(1024);
        assertThat(policy.maxMemoryMiB()).isEqualTo(6144);
        assertThat(policy.priority()).isEqualTo(50);
        assertThat(policy.migratable()).isFalse();
        assertThat(policy.neverRestart()).isTrue();
        assertThat(policy.antiAffinityGroup()).isEqualTo("xmpp");
        String eventId = new String(published.headers().lastHeader(CloudEvent.ID).value(), StandardCharsets.UTF_8);
        // The record carries the id the outbox row was written with, and the row is marked sent.
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("SELECT count(*) FROM outbox WHERE event_id = ?1 AND record_key = ?2"
                        + " AND sent_at IS NOT NULL")
                .setParameter(1, eventId).setParameter(2, guest).getSingleResult()).equals(1L));
        asViewer().get("/api/v1/guests/{id}/policy", guest).then().statusCode(200).body("priority", equalTo(50));
    }

    @Test
    void aTransactionThatFailsAfterWritingThePolicyPublishesNothing() {
        String failed = guestWithLimits(8192, 4);
        String marker = guestWithLimits(8192, 4);
        PolicyRules.Request request = new PolicyRules.Request(1024L, 2048L, 1, 2, null, null, null, null, null, null);
        // The very code path of PUT, inside a transaction that fails after the policy and its outbox entry are
        // written: both are rolled back together.
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            policies.set(failed, request);
            throw new IllegalStateException("the transaction fails after the write");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the transaction fails after the write");
        // A later policy on the same topic: once it is there, the relay has run past where the failed one would be.
        policies.set(marker, request);
        awaitPolicyRecord(marker);

        assertThat(kafka.readAll(Topics.GUEST_POLICIES)).noneMatch(r -> failed.equals(r.key()));
        assertThat(QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("SELECT count(*) FROM outbox WHERE record_key = ?1").setParameter(1, failed)
                .getSingleResult())).isEqualTo(0L);
        asViewer().get("/api/v1/guests/{id}/policy", failed).then().statusCode(404);
    }

    @Test
    void anInvalidPolicyIsAProblemNamingEachFieldAndChangesNothing() {
        String guest = guestWithLimits(4096, 2);
        asOperator().contentType("application/json")
                .body("""
                        {"minMemoryMiB":2048,"maxMemoryMiB":1024,"minVcpus":1,"maxVcpus":8}""")
                .put("/api/v1/guests/{id}/policy", guest).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("minMemoryMiB", "maxVcpus"))
                .body("detail", containsString("hypervisor maximum (2 vCPUs)"));
        asOperator().contentType("application/json")
                .body("""
                        {"minMemoryMiB":256,"maxMemoryMiB":8192,"minVcpus":1,"maxVcpus":2}""")
                .put("/api/v1/guests/{id}/policy", guest).then().statusCode(400)
                .body("errors[0].field", equalTo("maxMemoryMiB"))
                .body("errors[0].message", containsString("hypervisor maximum (4096 MiB)"));
        asOperator().contentType("application/json")
                .body("""
                        {"minMemoryMiB":256,"maxMemoryMiB":1024,"minVcpus":1,"maxVcpus":2,"maxMemoryMib":99}""")
                .put("/api/v1/guests/{id}/policy", guest).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("maxMemoryMib"));
        asOperator().contentType("application/json").body("{\"maxMemoryMiB\":1024}")
                .put("/api/v1/guests/{id}/policy", guest).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("minMemoryMiB", "minVcpus", "maxVcpus"));
        asOperator().contentType("application/json").body("""
                        {"minMemoryMiB":256,"maxMemoryMiB":1024,"minVcpus":1,"maxVcpus":2}""")
                .put("/api/v1/guests/{id}/policy", "no-such-guest").then().statusCode(404)
                .body("detail", containsString("'no-such-guest'"));

        asViewer().get("/api/v1/guests/{id}/policy", guest).then().statusCode(404);
        assertThat(QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("SELECT count(*) FROM outbox WHERE record_key = ?1").setParameter(1, guest)
                .getSingleResult())).isEqualTo(0L);
    }

    static ConsumerRecord<String, byte[]> awaitPolicyRecord(String guest) {
        List<ConsumerRecord<String, byte[]>>[] found = new List[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            found[0] = kafka.readAll(Topics.GUEST_POLICIES).stream().filter(r -> guest.equals(r.key())).toList();
            return !found[0].isEmpty();
        });
        assertThat(found[0]).hasSize(1);
        return found[0].get(0);
    }

    static String guestWithLimits(long maxMemoryMiB, int maxVcpus) {
        String host = unique("host");
        String guest = host + "-g";
        kafka.send(host, status(host, now(), 30000, new HostGuest(guest, 1024, maxMemoryMiB, 1, maxVcpus)));
        awaitStatus("/api/v1/guests/" + guest, 200);
        return guest;
    }
}
