package dev.nuvola.devstack.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The demo's signing key: an RSA-2048 pair made at every start, whose public half the services verify bearer
 * tokens with (RS256, issuer "nuvola", roles in "groups"). The private half stays in the checkout's
 * {@code .nuvola/jwt} directory, readable by its owner only, for {@code ./nuvola token}.
 */
public final class PlatformKeys {
    public static final String ISSUER = "nuvola";
    public static final Set<String> ROLES = Set.of("viewer", "operator");
    private static final String PUBLIC = "jwt-public.pem";
    private static final String PRIVATE = "jwt-private.pem";

    private final Path directory;
    private final PrivateKey privateKey;

    private PlatformKeys(Path directory, PrivateKey privateKey) {
        this.directory = directory;
        this.privateKey = privateKey;
    }

    /** A new pair in {@code directory}, replacing any earlier one (tokens signed with that stop working). */
    public static PlatformKeys create(Path directory) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(directory);
            Path privateFile = directory.resolve(PRIVATE);
            Files.deleteIfExists(privateFile);
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(directory.resolve(PUBLIC), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return new PlatformKeys(directory, pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an RSA key pair", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key to " + directory, e);
        }
    }

    /** The pair a running demo made. */
    public static PlatformKeys load(Path directory) {
        Path privateFile = directory.resolve(PRIVATE);
        if (!Files.isRegularFile(privateFile)) {
            throw new IllegalStateException("no signing key in " + directory + ": start the platform first (./nuvola demo)");
        }
        try {
            return new PlatformKeys(directory, privateKey(Files.readString(privateFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + privateFile, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(privateFile + " is not an RSA private key: " + e.getMessage(), e);
        }
    }

    /** An RSA private key from its PKCS#8 PEM text. */
    public static PrivateKey privateKey(String pem) {
        try {
            String text = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public Path publicKeyFile() {
        return directory.resolve(PUBLIC);
    }

    /** A signed bearer token for {@code role}, valid for {@code ttl}. */
    public String token(String role, String subject, Duration ttl) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES + ", got '" + role + "'");
        }
        Instant now = Instant.now();
        return sign(privateKey, ISSUER, subject, List.of(role), now, now.plus(ttl));
    }

    /**
     * A bearer token with any issuer, roles and lifetime, signed RS256 with {@code key}: {@link #token} for the
     * platform's roles, and tests for the tokens a service must refuse.
     */
    public static String sign(PrivateKey key, String issuer, String subject, Collection<String> groups,
                              Instant issuedAt, Instant expiresAt) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String roles = groups.stream().map(g -> "\"" + json(g) + "\"").collect(Collectors.joining(","));
        String claims = "{\"iss\":\"" + json(issuer) + "\",\"sub\":\"" + json(subject) + "\",\"upn\":\"" + json(subject)
                + "\",\"groups\":[" + roles + "],\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":"
                + expiresAt.getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String json(String text) {
        if (!text.matches("[A-Za-z0-9@._:-]+")) {
            throw new IllegalArgumentException("a token subject, issuer or role may hold letters, digits and @._:- only, got '" + text + "'");
        }
        return text;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
