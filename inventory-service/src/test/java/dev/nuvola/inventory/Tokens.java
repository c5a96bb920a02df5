package dev.nuvola.inventory;

import static io.restassured.RestAssured.given;

import java.util.Set;

import dev.nuvola.inventory.security.Roles;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/** Bearer tokens signed with the test key (src/test/resources/test-jwt), as the platform's issuer would sign them. */
public final class Tokens {
    private Tokens() {
    }

    public static String withRoles(String... roles) {
        return Jwt.issuer("nuvola").upn("test-" + String.join("-", roles)).groups(Set.of(roles)).expiresIn(3600)
                .sign();
    }

    public static RequestSpecification asViewer() {
        return given().auth().oauth2(withRoles(Roles.VIEWER));
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(withRoles(Roles.OPERATOR));
    }
}
