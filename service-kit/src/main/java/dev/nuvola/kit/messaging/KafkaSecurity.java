package dev.nuvola.kit.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one mapping from the environment to the security settings of every Kafka client of the platform: the
 * messaging channels, the hand-built clients and the health check of every service and of the agent all get them
 * (through {@link KafkaSecurityConfigSource} and Quarkus' {@code default-kafka-broker} configuration).
 * <p>
 * Operators give a protocol, a SCRAM user and its password, and a trust store; the JAAS line Kafka wants is
 * written here, so that nobody writes JAAS by hand and a password with a quote in it still works. Nothing set
 * means what it always meant: plaintext.
 */
public final class KafkaSecurity {
    public static final String PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    public static final String MECHANISM = "KAFKA_SASL_MECHANISM";
    public static final String USERNAME = "KAFKA_SASL_USERNAME";
    public static final String PASSWORD = "KAFKA_SASL_PASSWORD";

    public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    public static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
    public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";

    /** Passed through as they are: the environment name is the Kafka setting's, upper case with underscores. */
    static final List<String> SSL_SETTINGS = List.of("ssl.truststore.location", "ssl.truststore.password",
            "ssl.truststore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type",
            "ssl.key.password", "ssl.endpoint.identification.algorithm");

    private KafkaSecurity() {
    }

    /**
     * Kafka client settings (keys without the {@code kafka.} prefix) for the given environment; empty when no
     * security setting is present.
     *
     * @throws IllegalArgumentException naming the variable that is wrong or missing
     */
    public static Map<String, String> clientProperties(Function<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        String protocol = value(env, PROTOCOL);
        if (protocol != null) {
            protocol = protocol.trim().toUpperCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(PROTOCOL + "=" + protocol + " is not one of " + PROTOCOLS);
            }
            props.put("security.protocol", protocol);
        }
        boolean sasl = protocol != null && protocol.startsWith("SASL_");
        String username = value(env, USERNAME);
        String password = value(env, PASSWORD);
        if (sasl) {
            String mechanism = value(env, MECHANISM);
            mechanism = mechanism == null ? DEFAULT_MECHANISM : mechanism.trim().toUpperCase(Locale.ROOT);
            if (!MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException(MECHANISM + "=" + mechanism + " is not one of " + MECHANISMS);
            }
            if (username == null || password == null) {
                throw new IllegalArgumentException(PROTOCOL + "=" + protocol + " needs " + USERNAME + " and "
                        + PASSWORD);
            }
            props.put("sasl.mechanism", mechanism);
            props.put("sasl.jaas.config", jaasConfig(mechanism, username, password));
        } else if (username != null || password != null) {
            // A user given for a plaintext connection means the protocol was forgotten: sending nothing would be
            // refused by the broker far from the cause.
            throw new IllegalArgumentException(USERNAME + "/" + PASSWORD + " are set, but " + PROTOCOL + " is "
                    + (protocol == null ? "unset (PLAINTEXT)" : protocol) + ": use SASL_PLAINTEXT or SASL_SSL");
        }
        for (String setting : SSL_SETTINGS) {
            String given = value(env, environmentName(setting));
            if (given != null) {
                props.put(setting, given);
            }
        }
        return props;
    }

    /** e.g. {@code ssl.truststore.location} -> {@code KAFKA_SSL_TRUSTSTORE_LOCATION}. */
    static String environmentName(String setting) {
        return "KAFKA_" + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The client's JAAS line for a SCRAM or PLAIN user. */
    public static String jaasConfig(String mechanism, String username, String password) {
        String module = mechanism.startsWith("SCRAM-")
                ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=" + quoted(username) + " password=" + quoted(password) + ";";
    }

    /**
     * Kafka reads JAAS values with a StreamTokenizer: inside quotes, a backslash escapes the next character and a
     * line break ends the value, so line breaks are written as the escapes it turns back into them.
     */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\r", "\\r") + '"';
    }

    private static String value(Function<String, String> env, String name) {
        String value = env.apply(name);
        // Not trimmed: a password may begin or end with a space.
        return value == null || value.isBlank() ? null : value;
    }
}
