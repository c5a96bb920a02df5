package dev.nuvola.devstack.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * A broker certificate for TLS on one machine, made by the JDK's own keytool (the JDK has no public API that
 * signs a certificate): a PKCS12 key store for the broker and the certificate as PEM, which clients trust
 * ({@code ssl.truststore.type=PEM}). Names: the broker's host, plus localhost, ::1 and 127.0.0.1, so that
 * clients keep checking the host name as in production.
 */
record SelfSignedTls(Path keyStore, String password, Path certificatePem) {

    static SelfSignedTls create(Path dir, String host) {
        Path keyStore = dir.resolve("broker.p12");
        Path pem = dir.resolve("broker.pem");
        String password = Uuid.randomUuid().toString();
        String hostName = isIpLiteral(host) ? "ip:" + host : "dns:" + host;
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=nuvola-devstack-kafka", "-validity", "30",
                "-ext", "SAN=" + hostName + ",dns:localhost,ip:::1,ip:127.0.0.1",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString());
        return new SelfSignedTls(keyStore, password, pem);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
