package dev.nuvola.devstack.test;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.nuvola.devstack.security.PlatformKeys;
import io.restassured.specification.RequestSpecification;

/**
 * Bearer tokens as the platform's issuer signs them, with the test key pair in {@code test-jwt/} (on every
 * module's test class path through devstack): a service under test verifies them with
 * {@code %test.mp.jwt.verify.publickey.location=test-jwt/public.pem}. For tests only: the private half is public.
 */
public final class Tokens {
    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    private static final PrivateKey TEST_KEY = PlatformKeys.privateKey(resource("test-jwt/private.pem"));

    private Tokens() {
    }

    /** Valid for an hour, with any roles (also ones the platform does not know, to test a refusal). */
    public static String withRoles(String... roles) {
        Instant now = Instant.now();
        return PlatformKeys.sign(TEST_KEY, PlatformKeys.ISSUER, "test-" + String.join("-", roles), List.of(roles), now,
                now.plus(Duration.ofHours(1)));
    }

    public static RequestSpecification asViewer() {
        return given().auth().oauth2(withRoles(VIEWER));
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(withRoles(OPERATOR));
    }

    /** Expired an hour ago. */
    public static String expired(String role) {
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        return PlatformKeys.sign(TEST_KEY, PlatformKeys.ISSUER, "late", List.of(role), twoHoursAgo,
                twoHoursAgo.plus(Duration.ofHours(1)));
    }

    public static String fromIssuer(String issuer, String role) {
        Instant now = Instant.now();
        return PlatformKeys.sign(TEST_KEY, issuer, "elsewhere", List.of(role), now, now.plus(Duration.ofHours(1)));
    }

    /** Well formed, but signed by a key the services do not trust. */
    public static String forged(String role) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            Instant now = Instant.now();
            return PlatformKeys.sign(generator.generateKeyPair().getPrivate(), PlatformKeys.ISSUER, "mallory",
                    List.of(role), now, now.plus(Duration.ofHours(1)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
