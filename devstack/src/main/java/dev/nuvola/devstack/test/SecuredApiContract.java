package dev.nuvola.devstack.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every service's API promises about bearer tokens, for every operation its OpenAPI document lists (so an
 * operation added later is covered without touching a test): reads need role viewer or operator, mutations
 * operator, every refusal is a problem saying what is missing, and health, metrics and the OpenAPI document are
 * open. A service's {@code @QuarkusTest} extends this (annotated {@code @QuarkusTest} then
 * {@code @ExtendWith(RestOverIpv6.class)}) and names a few operations that must be among those listed.
 */
public abstract class SecuredApiContract {
    private final List<String[]> reads = new ArrayList<>();
    private final List<String[]> mutations = new ArrayList<>();

    /** "METHOD /path" (path parameters as {@code some-id}) that the document must list: proof it was read. */
    protected abstract Set<String> expectedOperations();

    /** Reads not to call with a valid token: an endless stream would never answer. */
    protected Set<String> notCalledWhenAllowed() {
        return Set.of();
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void operations() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        List<String> listed = new ArrayList<>();
        paths.forEach((path, methods) -> methods.keySet().forEach(method -> {
            String concrete = path.replaceAll("\\{[^}]+}", "some-id");
            (method.equals("get") ? reads : mutations).add(new String[] {method.toUpperCase(), concrete});
            listed.add(method.toUpperCase() + " " + concrete);
        }));
        assertThat(listed, hasItems(expectedOperations().toArray(String[]::new)));
    }

    @Test
    void everyMutationIs401WithoutATokenAnd403ForAViewer() {
        for (String[] m : mutations) {
            given().contentType("application/json").body("{}").request(m[0], m[1]).then()
                    .statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer")
                    .body("detail", containsString("bearer token is required"));
            given().auth().oauth2(Tokens.withRoles(Tokens.VIEWER)).contentType("application/json").body("{}")
                    .request(m[0], m[1]).then()
                    .statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("'operator'"));
        }
    }

    @Test
    void everyReadIs401WithoutATokenAndAllowedForViewersAndOperators() {
        for (String[] r : reads) {
            given().request(r[0], r[1]).then().statusCode(401).contentType("application/problem+json");
            if (notCalledWhenAllowed().contains(r[1])) {
                continue;
            }
            for (String role : List.of(Tokens.VIEWER, Tokens.OPERATOR)) {
                int status = given().auth().oauth2(Tokens.withRoles(role)).get(r[1]).then().extract().statusCode();
                // Allowed: an answer about the request itself (200, 404 for the made-up id, 400 for a missing
                // parameter), never a refusal and never a failure.
                assertThat(r[1] + " as " + role, status, allOf(not(oneOf(401, 403)), lessThan(500)));
            }
        }
    }

    @Test
    void aTokenWithAnotherRoleOrSignedByAnotherKeyOrExpiredOrFromAnotherIssuerIsRefused() {
        String read = reads.stream().map(r -> r[1]).filter(p -> !notCalledWhenAllowed().contains(p)).findFirst()
                .orElseThrow();
        given().auth().oauth2(Tokens.withRoles("guest")).get(read).then().statusCode(403);
        for (String refused : List.of(Tokens.forged(Tokens.OPERATOR), Tokens.expired(Tokens.OPERATOR),
                Tokens.fromIssuer("someone-else", Tokens.OPERATOR), "not-a-jwt")) {
            given().auth().oauth2(refused).get(read).then().statusCode(401)
                    .contentType("application/problem+json").body("detail", containsString("not valid"));
        }
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentAreOpen() {
        given().get("/q/health/live").then().statusCode(200);
        assertThat(given().get("/q/health/ready").then().extract().statusCode(), is(oneOf(200, 503)));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
