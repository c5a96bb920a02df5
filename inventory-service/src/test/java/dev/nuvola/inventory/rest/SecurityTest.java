package dev.nuvola.inventory.rest;

import static dev.nuvola.devstack.test.Tokens.withRoles;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.SecuredApiContract;
import dev.nuvola.kit.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The platform's token rules on every operation (SecuredApiContract), plus the dashboard's cookie and page. */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class SecurityTest extends SecuredApiContract {

    @Override
    protected Set<String> expectedOperations() {
        return Set.of("PUT /api/v1/guests/some-id/policy", "POST /api/v1/prefixes", "GET /api/v1/hosts",
                "GET /api/v1/guests", "GET /api/v1/events");
    }

    /** An endless stream once allowed: DashboardBrowserTest reads it with a viewer's token. */
    @Override
    protected Set<String> notCalledWhenAllowed() {
        return Set.of("/api/v1/events");
    }

    /** The dashboard's browser sends its token as a cookie: an EventSource cannot set a header. */
    @Test
    void aTokenInTheDashboardCookieIsAcceptedToo() {
        given().cookie("nuvola_token", withRoles(Roles.VIEWER)).get("/api/v1/hosts").then().statusCode(200);
        given().cookie("nuvola_token", withRoles(Roles.VIEWER)).contentType("application/json").body("{}")
                .post("/api/v1/prefixes").then().statusCode(403);
    }

    @Test
    void theDashboardPageIsOpen() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"));
    }
}
