package dev.nuvola.devstack.kafka;

import dev.nuvola.events.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCRAM over TLS with the broker's self-signed certificate: a client trusting it gets in, checking the host name
 * ([::1]) as in production; one that does not trust it is refused in the handshake.
 */
class EmbeddedKafkaTlsTest {
    private static final EmbeddedKafka.ScramUser USER = EmbeddedKafka.ScramUser.random("nuvola");

    @AutoClose
    private static final EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPartitions(1)
            .withSecurity(EmbeddedKafka.Security.scram(USER).overTls()));

    @Test
    void aClientTrustingTheCertificateLogsInAndCreatesTopics() throws Exception {
        assertEquals("SASL_SSL", kafka.clientConfig().get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        assertEquals("PEM", kafka.clientEnvironment().get("KAFKA_SSL_TRUSTSTORE_TYPE"));
        kafka.createPlatformTopics();
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            assertTrue(admin.listTopics().names().get(20, TimeUnit.SECONDS).containsAll(Topics.ALL));
        }
    }

    @Test
    void aClientNotTrustingItIsRefused() {
        Map<String, Object> config = new HashMap<>(kafka.adminConfig());
        config.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        config.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        assertInstanceOf(SslAuthenticationException.class, EmbeddedKafkaSaslTest.whyListingTopicsFails(config, 5_000));
    }

    @Test
    void theCertificateIsNotInTheLogDir() throws Exception {
        Path pem = Path.of(kafka.clientEnvironment().get("KAFKA_SSL_TRUSTSTORE_LOCATION"));
        assertTrue(Files.isRegularFile(pem));
        assertFalse(pem.startsWith(kafka.logDir()));
    }
}
