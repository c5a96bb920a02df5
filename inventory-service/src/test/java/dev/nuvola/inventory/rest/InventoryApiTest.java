package dev.nuvola.inventory.rest;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyIterable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The inventory's HTTP surface apart from the fleet itself: problem details, health, metrics, OpenAPI. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class InventoryApiTest {

    @Test
    void anUnknownGuestIsAProblemNamingIt() {
        asViewer().get("/api/v1/guests/{id}", "no-such-guest").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("'no-such-guest'"));
    }

    @Test
    void theHistoryOfAnUnknownGuestIsAProblemNamingIt() {
        asViewer().get("/api/v1/guests/{id}/history", "no-such-guest").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("'no-such-guest'"));
    }

    @Test
    void anUnknownHostIsAProblemNamingIt() {
        asViewer().get("/api/v1/hosts/{id}", "no-such-host").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", containsString("'no-such-host'"));
    }

    @Test
    void aHostWithNoGuestsListsNone() {
        asViewer().queryParam("host", "no-such-host").get("/api/v1/guests").then().statusCode(200)
                .body("$", emptyIterable());
    }

    @Test
    void isReadyWithKafkaAndTheDatabase() {
        asViewer().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.name", hasItem(containsString("Kafka")))
                .body("checks.status", not(hasItem("DOWN")));
    }

    @Test
    void publishesMetricsAndItsApi() {
        asViewer().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        asViewer().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/guests"))
                .body(containsString("/api/v1/hosts"));
    }
}
