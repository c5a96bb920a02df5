package dev.nuvola.inventory.rest;

import static dev.nuvola.inventory.TestFleet.WAIT;
import static dev.nuvola.inventory.TestFleet.awaitStatus;
import static dev.nuvola.inventory.TestFleet.now;
import static dev.nuvola.inventory.TestFleet.status;
import static dev.nuvola.inventory.TestFleet.unique;
import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Paging and filtering of the lists, and the guest's timeline of resizes and migrations. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class PagingTest {
    static final TestKafka kafka = TestKafka.shared();

    @Test
    void guestsOfAHostComeInPagesWithTheTotalAndLinks() {
        String host = unique("host");
        HostGuest[] guests = new HostGuest[5];
        for (int i = 0; i < 5; i++) {
            guests[i] = new HostGuest(host + "-g" + i, 1024, 4096, 1, 2);
        }
        kafka.send(host, status(host, now(), 30000, guests));
        awaitStatus("/api/v1/guests/" + host + "-g4", 200);

        asViewer().queryParam("host", host).queryParam("size", 2).get("/api/v1/guests").then().statusCode(200)
                .header("X-Total-Count", "5")
                .header("Link", containsString("page=1"))
                .header("Link", containsString("rel=\"next\""))
                .header("Link", not(containsString("prev")))
                .body("id", contains(host + "-g0", host + "-g1"));
        asViewer().queryParam("host", host).queryParam("size", 2).queryParam("page", 2).get("/api/v1/guests").then()
                .body("id", contains(host + "-g4"))
                .header("Link", containsString("rel=\"prev\""))
                .header("Link", not(containsString("next")));
        asViewer().queryParam("size", 0).get("/api/v1/guests").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("size must be between 1 and 1000"));
        asViewer().queryParam("page", -1).get("/api/v1/hosts").then().statusCode(400);
    }

    @Test
    void hostsFilterByState() {
        String draining = unique("host");
        kafka.send(draining, new HostStatus(draining, now(), HostState.DRAINING, "fd00::2", "libvirt",
                java.util.Set.of(), 1024, 1024, 2, 2, java.util.List.of()));
        awaitStatus("/api/v1/hosts/" + draining, 200);
        asViewer().queryParam("state", "DRAINING").queryParam("size", 1000).get("/api/v1/hosts").then()
                .statusCode(200).body("id", hasItem(draining)).body("state", not(hasItem("ACTIVE")));
        asViewer().queryParam("state", "ASLEEP").get("/api/v1/hosts").then().statusCode(400)
                .body("detail", containsString("ACTIVE"));
    }

    @Test
    void theHistoryIsOneTimelineOfResizesAndMigrationsWithReasons() {
        String host = unique("host");
        String guest = host + "-g";
        Instant t0 = now().minusSeconds(300);
        kafka.send(host, status(host, t0, 30000, new HostGuest(guest, 2048, 8192, 2, 4)));
        awaitStatus("/api/v1/guests/" + guest, 200);
        String migration = unique("mig");
        kafka.send(guest, new ResizeResult(unique("cmd"), guest, host, ResizeOutcome.REJECTED, "HOST_FULL",
                "the host has 512 MiB free", new GuestSize(2048, 2), new GuestSize(2048, 2), t0.plusSeconds(10)));
        kafka.send(migration, new MigrationEvent(migration, guest, MigrationEvent.Kind.STATE_CHANGED, null, null,
                MigrationState.COMPLETED, null, host, "roomy", "make room to grow", t0.plusSeconds(20)));
        kafka.send(guest, new ResizeResult(unique("cmd"), guest, "roomy", ResizeOutcome.APPLIED, null,
                "memory above 85% of assigned", new GuestSize(2048, 2), new GuestSize(3072, 2), t0.plusSeconds(30)));

        await().atMost(WAIT).untilAsserted(() -> asViewer().get("/api/v1/guests/{id}/history", guest).then()
                .header("X-Total-Count", "3"));
        asViewer().get("/api/v1/guests/{id}/history", guest).then().statusCode(200)
                .body("kind", contains("RESIZE", "MIGRATION", "RESIZE"))
                .body("message", contains("the host has 512 MiB free", "make room to grow",
                        "memory above 85% of assigned"))
                .body("[1].targetHostId", equalTo("roomy"));
        asViewer().queryParam("size", 1).queryParam("page", 1).get("/api/v1/guests/{id}/history", guest).then()
                .body("kind", contains("MIGRATION"));
    }
}
