package dev.nuvola.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.Tokens;
import dev.nuvola.kit.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A service started without its verification key (NUVOLA_JWT_PUBLIC_KEY pointing nowhere) still runs, and says
 * what is wrong (503, naming the setting) instead of answering a bare 500, with or without a token; health stays
 * open.
 */
@QuarkusTest
@TestProfile(MissingKeyTest.NoKey.class)
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_inventory"))
class MissingKeyTest {
    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.publickey.location", "/nonexistent/jwt-public.pem");
        }
    }

    @Test
    void aTokenIsAnsweredWithAProblemNamingTheMissingKey() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/api/v1/hosts").then().statusCode(503).body("detail", containsString("NUVOLA_JWT_PUBLIC_KEY"));
        given().auth().oauth2(Tokens.withRoles(Roles.VIEWER)).get("/api/v1/hosts").then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("NUVOLA_JWT_PUBLIC_KEY"));
    }
}
