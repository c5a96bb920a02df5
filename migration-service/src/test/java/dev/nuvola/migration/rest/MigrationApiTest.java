package dev.nuvola.migration.rest;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The migration API's errors, health and OpenAPI document. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class MigrationApiTest {

    @Test
    void anUnknownMigrationIsAProblemNamingIt() {
        asViewer().get("/api/v1/migrations/{id}", "no-such-migration").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("'no-such-migration'"));
    }

    @Test
    void anUnknownStateIsABadRequestNamingIt() {
        asViewer().queryParam("state", "NOPE").get("/api/v1/migrations").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("NOPE"))
                .body("detail", containsString("REQUESTED"));
    }

    @Test
    void isReadyWithKafkaAndTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.name", hasItem(containsString("Kafka")))
                .body("checks.name", hasItem("Migration outbox"))
                .body("checks.status", not(hasItem("DOWN")));
    }

    @Test
    void publishesMetricsAndItsApi() {
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/migrations"))
                .body(containsString("/api/v1/migrations/{id}"));
        // The state filter is documented as the enum, though the resource takes it as text.
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/migrations'.get.parameters.find { it.name == 'state' }.schema.toString()",
                        anyOf(containsString("MigrationState"), containsString("REQUESTED")));
    }

    @Test
    void aKnownStateFiltersAndNoStateListsAll() {
        asViewer().queryParam("state", "REFUSED").get("/api/v1/migrations").then().statusCode(200)
                .contentType("application/json");
        asViewer().get("/api/v1/migrations").then().statusCode(200).contentType("application/json");
    }
}
