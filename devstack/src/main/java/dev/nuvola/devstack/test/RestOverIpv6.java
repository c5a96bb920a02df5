package dev.nuvola.devstack.test;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.restassured.RestAssured;

/**
 * For {@code @QuarkusTest}s of services listening on [::1]: Quarkus builds its test URL as
 * {@code http://::1:port} (quarkusio/quarkus PR #56686), which no client can use. Declared after
 * {@code @QuarkusTest}, this runs after Quarkus has set RestAssured up and brackets the address.
 */
public final class RestOverIpv6 implements BeforeEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        RestAssured.baseURI = "http://[::1]";
    }
}
