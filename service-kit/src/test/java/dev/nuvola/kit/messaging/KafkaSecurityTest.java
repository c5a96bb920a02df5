package dev.nuvola.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotBlank;

class KafkaSecurityTest {

    @Test
    void nothingSetKeepsPlaintextAndAddsNothing() {
        assertThat(KafkaSecurity.clientProperties(Map.<String, String>of()::get)).isEmpty();
        assertThat(new KafkaSecurityConfigSource(Map.of()).getPropertyNames()).isEmpty();
    }

    @Test
    void saslScramUserBecomesTheJaasLineKafkaReads() {
        Map<String, String> props = KafkaSecurity.clientProperties(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "sasl_ssl", "KAFKA_SASL_USERNAME", "nuvola",
                "KAFKA_SASL_PASSWORD", "s3cret", "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/nuvola/kafka-ca.p12",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit", "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")::get);

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/nuvola/kafka-ca.p12")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("ssl.truststore.type", "PKCS12");
        AppConfigurationEntry login = login(props);
        assertThat(login.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(login.getOptions().get("username")).isEqualTo("nuvola");
        assertThat(login.getOptions().get("password")).isEqualTo("s3cret");
    }

    @Test
    void theConfigSourceGivesThemUnderTheKafkaPrefixQuarkusReads() {
        KafkaSecurityConfigSource source = new KafkaSecurityConfigSource(Map.of("KAFKA_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256", "KAFKA_SASL_USERNAME", "u",
                "KAFKA_SASL_PASSWORD", "p"));

        assertThat(source.getPropertyNames()).containsExactlyInAnyOrder("kafka.security.protocol",
                "kafka.sasl.mechanism", "kafka.sasl.jaas.config");
        assertThat(source.getValue("kafka.sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
        assertThat(source.getOrdinal()).isBetween(251, 299);
    }

    @Test
    void plainMechanismUsesThePlainLoginModule() {
        Map<String, String> props = KafkaSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p")::get);

        assertThat(login(props).getLoginModuleName())
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
    }

    @Test
    void sslAloneNeedsNoUser() {
        assertThat(KafkaSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_KEYSTORE_LOCATION", "/k.p12")::get))
                .containsOnly(Map.entry("security.protocol", "SSL"), Map.entry("ssl.keystore.location", "/k.p12"));
    }

    @Test
    void mistakesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> KafkaSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS")::get))
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOL=TLS");
        assertThatThrownBy(() -> KafkaSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_USERNAME", "u")::get))
                .hasMessageContaining("KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> KafkaSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "GSSAPI", "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p")::get))
                .hasMessageContaining("KAFKA_SASL_MECHANISM=GSSAPI");
        // A user without a SASL protocol would be sent nowhere: the broker would refuse far from the cause.
        assertThatThrownBy(() -> KafkaSecurity.clientProperties(Map.of("KAFKA_SASL_USERNAME", "u",
                "KAFKA_SASL_PASSWORD", "p")::get))
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOL");
    }

    /** Whatever the password (quotes, backslashes, spaces, semicolons), Kafka's JAAS parser reads back the same. */
    @Property(tries = 300)
    void anyPasswordSurvivesTheJaasLine(@ForAll @NotBlank String username, @ForAll @NotBlank String password) {
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"));
        env.put("KAFKA_SASL_USERNAME", username);
        env.put("KAFKA_SASL_PASSWORD", password);

        AppConfigurationEntry login = login(KafkaSecurity.clientProperties(env::get));

        assertThat(login.getOptions().get("username")).isEqualTo(username);
        assertThat(login.getOptions().get("password")).isEqualTo(password);
    }

    @Test
    void quotesBackslashesAndLineBreaksInAPasswordSurvive() {
        for (String password : new String[] {"a\"b", "a\\b", "\\", "a;b c", "line\nbreak", "cr\r\n", " lead",
                "\\0"}) {
            Map<String, String> env = Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "u",
                    "KAFKA_SASL_PASSWORD", password);
            assertThat(login(KafkaSecurity.clientProperties(env::get)).getOptions().get("password")).as(password)
                    .isEqualTo(password);
        }
    }

    private static AppConfigurationEntry login(Map<String, String> props) {
        JaasContext context = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG,
                new Password(props.get(SaslConfigs.SASL_JAAS_CONFIG))));
        assertThat(context.configurationEntries()).hasSize(1);
        return context.configurationEntries().get(0);
    }
}
