package dev.nuvola.inventory.rest;

import static dev.nuvola.inventory.Tokens.withRoles;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.inventory.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/**
 * Every operation of the API, as the OpenAPI document lists them (so an operation added later is covered
 * without touching this test): reads need viewer or operator, mutations operator, health and metrics are open.
 */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class SecurityTest {
    private List<String[]> reads;
    private List<String[]> mutations;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void operations() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        reads = new ArrayList<>();
        mutations = new ArrayList<>();
        paths.forEach((path, methods) -> methods.keySet().forEach(method -> {
            String concrete = path.replaceAll("\\{[^}]+}", "some-id");
            (method.equals("get") ? reads : mutations).add(new String[] {method.toUpperCase(), concrete});
        }));
        assertThat(mutations).extracting(m -> m[0] + " " + m[1])
                .contains("PUT /api/v1/guests/some-id/policy", "POST /api/v1/prefixes");
        assertThat(reads).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void everyMutationIs401WithoutATokenAnd403ForAViewer() {
        for (String[] m : mutations) {
            given().contentType("application/json").body("{}").request(m[0], m[1]).then()
                    .statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer")
                    .body("detail", containsString("bearer token is required"));
            given().auth().oauth2(withRoles(Roles.VIEWER)).contentType("application/json").body("{}")
                    .request(m[0], m[1]).then()
                    .statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("'operator'"));
        }
    }

    @Test
    void everyReadIs401WithoutATokenAndAllowedForViewersAndOperators() {
        for (String[] r : reads) {
            given().request(r[0], r[1]).then().statusCode(401);
            if (r[1].equals("/api/v1/events")) {
                // An endless stream once allowed: DashboardBrowserTest reads it with a viewer's token.
                continue;
            }
            for (String role : List.of(Roles.VIEWER, Roles.OPERATOR)) {
                int status = given().auth().oauth2(withRoles(role)).get(r[1]).then().extract().statusCode();
                // Allowed: 200, or 404 for the made-up id; never 401 or 403.
                assertThat(status).as("%s as %s", r[1], role).isIn(200, 404);
            }
        }
    }

    @Test
    void aTokenWithAnotherRoleOrSignedByAnotherKeyOrExpiredIsRefused() throws Exception {
        given().auth().oauth2(withRoles("guest")).get("/api/v1/hosts").then().statusCode(403);
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer("nuvola").upn("mallory").groups(Roles.OPERATOR)
                .sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(forged).get("/api/v1/hosts").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("not valid"));
        String expired = Jwt.issuer("nuvola").upn("late").groups(Roles.OPERATOR)
                .issuedAt(System.currentTimeMillis() / 1000 - 7200).expiresAt(System.currentTimeMillis() / 1000 - 3600)
                .sign();
        given().auth().oauth2(expired).get("/api/v1/hosts").then().statusCode(401);
        String otherIssuer = Jwt.issuer("someone-else").upn("x").groups(Roles.OPERATOR).sign();
        given().auth().oauth2(otherIssuer).get("/api/v1/hosts").then().statusCode(401);
    }

    /** The dashboard's browser sends its token as a cookie: an EventSource cannot set a header. */
    @Test
    void aTokenInTheDashboardCookieIsAcceptedToo() {
        given().cookie("nuvola_token", withRoles(Roles.VIEWER)).get("/api/v1/hosts").then().statusCode(200);
        given().cookie("nuvola_token", withRoles(Roles.VIEWER)).contentType("application/json").body("{}")
                .post("/api/v1/prefixes").then().statusCode(403);
    }

    @Test
    void healthMetricsAndTheDashboardPageAreOpen() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/").then().statusCode(200).contentType(containsString("text/html"));
    }
}
