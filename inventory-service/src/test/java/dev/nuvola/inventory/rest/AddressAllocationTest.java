package dev.nuvola.inventory.rest;

import static dev.nuvola.inventory.TestFleet.WAIT;
import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static dev.nuvola.inventory.TestFleet.unique;
import static dev.nuvola.devstack.test.Tokens.asOperator;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationState;
import dev.nuvola.inventory.logic.Ipv6Prefix;
import dev.nuvola.inventory.model.GuestAddress;
import dev.nuvola.inventory.service.AddressAllocator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * IPv6 prefixes and the addresses guests get from them, against the real PostgreSQL (its constraints included).
 * Each test uses a random /64 of its own under fd00::/8, so no two tests' prefixes overlap.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class AddressAllocationTest {
    static final TestKafka kafka = TestKafka.shared();

    @Inject
    AddressAllocator allocator;
    @Inject
    EntityManager entityManager;

    @Test
    void aGuestGetsAnAddressFromItsHostsPrefixWhenFirstSeenAndKeepsItAcrossAMigration() {
        String host = unique("host");
        String other = unique("host");
        String prefix = randomPrefix(64);
        addPrefix(prefix, "HOST", host).statusCode(201)
                .body("prefix", equalTo(prefix)).body("scope", equalTo("HOST")).body("allocated", equalTo(0));
        String guest = host + "-g";
        Instant t0 = now().minusSeconds(60);
        kafka.send(host, status(host, t0, 30000, new HostGuest(guest, 1024, 4096, 1, 2)));
        awaitStatus("/api/v1/guests/" + guest, 200);
        String address = asViewer().get("/api/v1/guests/{id}", guest).then().statusCode(200)
                .body("address", notNullValue()).extract().path("address");
        assertThat(Ipv6Prefix.parse(prefix).contains(address)).isTrue();

        // Migrated to a host without a prefix of its own, then reported by it: the same address.
        String migration = unique("mig");
        kafka.send(migration, new MigrationEvent(migration, guest, MigrationEvent.Kind.STATE_CHANGED, null, null,
                MigrationState.COMPLETED, null, host, other, null, t0.plusSeconds(10)));
        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("hostId", equalTo(other)));
        kafka.send(other, status(other, t0.plusSeconds(20), 30000, new HostGuest(guest, 1024, 4096, 1, 2)));
        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}", guest).then()
                .body("sizeObservedAt", equalTo(t0.plusSeconds(20).toString())));
        asViewer().get("/api/v1/guests/{id}", guest).then().body("address", equalTo(address));
        asViewer().queryParam("scopeId", host).get("/api/v1/prefixes").then().statusCode(200)
                .body("[0].allocated", equalTo(1));
    }

    @Test
    void guestsAlreadyKnownGetAddressesWhenTheirHostsPrefixIsAdded() {
        String host = unique("host");
        kafka.send(host, status(host, now(), 30000, new HostGuest(host + "-a", 1024, 4096, 1, 2),
                new HostGuest(host + "-b", 1024, 4096, 1, 2)));
        awaitStatus("/api/v1/guests/" + host + "-b", 200);
        addPrefix(randomPrefix(64), "HOST", host).statusCode(201).body("allocated", equalTo(2));
        String a = asViewer().get("/api/v1/guests/{id}", host + "-a").then().extract().path("address");
        String b = asViewer().get("/api/v1/guests/{id}", host + "-b").then().extract().path("address");
        assertThat(a).isNotNull().isNotEqualTo(b);
    }

    @Test
    void ipv4InvalidAndOverlappingPrefixesAreRefusedWithAClearProblem() {
        String host = unique("host");
        String prefix = randomPrefix(48);
        addPrefix("192.0.2.0/24", "HOST", host).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("IPv4"));
        addPrefix("2001:db8::zz/64", "HOST", host).statusCode(400).body("detail", containsString("not an IPv6 address"));
        addPrefix("2001:db8::1/64", "HOST", host).statusCode(400).body("detail", containsString("did you mean"));
        addPrefix(prefix, "RACK", host).statusCode(400).body("detail", containsString("SITE or HOST"));
        addPrefix(prefix, "HOST", host).statusCode(201);
        String inside = prefix.replace("::/48", ":1::/64");
        addPrefix(inside, "HOST", unique("host")).statusCode(409).contentType("application/problem+json")
                .body("detail", startsWith(inside + " overlaps " + prefix));
        addPrefix(prefix, "SITE", "default").statusCode(409);
        asViewer().queryParam("scopeId", host).get("/api/v1/prefixes").then().statusCode(200)
                .header("X-Total-Count", "1");
        // The database refuses an overlap on its own too (the exclusion constraint), and anything but IPv6.
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "INSERT INTO ipv6_prefix (prefix, scope, scope_id, next_offset, created_at)"
                        + " VALUES (?1, 'HOST', 'x', 1, now())").setParameter(1, inside).executeUpdate()))
                .hasStackTraceContaining("conflicting key value violates exclusion constraint");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "INSERT INTO ipv6_prefix (prefix, scope, scope_id, next_offset, created_at)"
                        + " VALUES ('198.51.100.0/24', 'HOST', 'x', 1, now())").executeUpdate()))
                .hasStackTraceContaining("check constraint");
    }

    /**
     * 64 guests, each allocated by 2 threads at once on 8 threads (128 allocations racing on one prefix row):
     * every guest gets exactly one address, and no address is given twice.
     */
    @Test
    void parallelAllocationsNeverGiveOneAddressToTwoGuests() throws Exception {
        String host = unique("host");
        String prefix = randomPrefix(64);
        addPrefix(prefix, "HOST", host).statusCode(201);
        List<String> guests = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            guests.add(host + "-g" + i);
        }
        List<Callable<String>> allocations = new ArrayList<>();
        for (String guest : guests) {
            for (int twice = 0; twice < 2; twice++) {
                allocations.add(() -> QuarkusTransaction.requiringNew().call(() -> {
                    Optional<GuestAddress> address = allocator.allocate(guest, host);
                    return guest + "=" + address.orElseThrow().address;
                }));
            }
        }
        java.util.Collections.shuffle(allocations);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long began = System.nanoTime();
        Set<String> results = new HashSet<>();
        try {
            for (Future<String> result : pool.invokeAll(allocations)) {
                results.add(result.get());
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("[inventory] %d parallel allocations for %d guests in %d ms%n", allocations.size(),
                guests.size(), (System.nanoTime() - began) / 1_000_000);
        // Both allocations of a guest answered the same address: one result per guest.
        assertThat(results).hasSize(guests.size());
        Set<String> addresses = new HashSet<>();
        for (String result : results) {
            String address = result.substring(result.indexOf('=') + 1);
            assertThat(Ipv6Prefix.parse(prefix).contains(address)).isTrue();
            assertThat(addresses.add(address)).as("address %s given twice", address).isTrue();
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "SELECT count(DISTINCT address) FROM guest_address WHERE guest_id LIKE ?1")
                .setParameter(1, host + "-g%").getSingleResult())).isEqualTo(64L);
        // The database would refuse a second holder of an address, whatever wrote it.
        String taken = addresses.iterator().next();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "INSERT INTO guest_address (guest_id, address, prefix_id, allocated_at)"
                        + " SELECT 'intruder', ?1, prefix_id, now() FROM guest_address WHERE address = ?1")
                .setParameter(1, taken).executeUpdate()))
                .hasStackTraceContaining("guest_address_address_key");
    }

    static io.restassured.response.ValidatableResponse addPrefix(String prefix, String scope, String scopeId) {
        return asOperator().contentType("application/json")
                .body("{\"prefix\":\"" + prefix + "\",\"scope\":\"" + scope + "\",\"scopeId\":\"" + scopeId + "\"}")
                .post("/api/v1/prefixes").then();
    }

    /** A random prefix of this length under fd00::/8 (unique local addresses), e.g. fd12:3456:789a:bcde::/64. */
    static String randomPrefix(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int groups = length / 16;
        StringBuilder text = new StringBuilder(String.format("fd%02x", random.nextInt(256)));
        for (int i = 1; i < groups; i++) {
            text.append(':').append(Integer.toHexString(random.nextInt(1, 0x10000)));
        }
        return text + "::/" + length;
    }
}
