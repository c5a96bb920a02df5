package dev.nuvola.kit.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives {@link KafkaSecurity}'s settings to Quarkus as {@code kafka.*} properties, which Quarkus hands to every
 * messaging channel, to the Kafka health check and, as the {@code default-kafka-broker} map, to the clients a
 * service builds itself. Registered through {@code META-INF/services}, so a service only has to depend on the kit.
 * <p>
 * Above application.properties (250), so a packaged default cannot undo an operator's setting, and below
 * environment variables (300), so that a raw {@code KAFKA_SASL_JAAS_CONFIG} still wins for a login module this
 * mapping does not know.
 */
public final class KafkaSecurityConfigSource implements ConfigSource {
    static final int ORDINAL = 270;

    private final Map<String, String> properties;

    public KafkaSecurityConfigSource() {
        this(Map.copyOf(System.getenv()));
    }

    KafkaSecurityConfigSource(Map<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        KafkaSecurity.clientProperties(env::get).forEach((key, value) -> props.put("kafka." + key, value));
        this.properties = Map.copyOf(props);
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "nuvola-kafka-security";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
