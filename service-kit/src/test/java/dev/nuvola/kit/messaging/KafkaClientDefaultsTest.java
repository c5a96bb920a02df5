package dev.nuvola.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The kit's defaults for every Kafka client (META-INF/microprofile-config.properties), as a service's configuration
 * sees them: found on the class path, and below a service's application.properties (ordinal 250).
 */
class KafkaClientDefaultsTest {

    @Test
    void everyKafkaClientLeavesItsSocketBuffersToTheOperatingSystem() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources().build();

        assertThat(config.getValue("kafka.receive.buffer.bytes", Integer.class)).isEqualTo(-1);
        assertThat(config.getValue("kafka.send.buffer.bytes", Integer.class)).isEqualTo(-1);
    }

    @Test
    void everyChannelPollsWithAQuarterSecondTimeout() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources().build();

        assertThat(config.getValue("mp.messaging.connector.smallrye-kafka.poll-timeout", Integer.class)).isEqualTo(250);
    }

    @Test
    void aServiceCanStillSetItsOwn() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withSources(new PropertiesConfigSource(Map.of("kafka.receive.buffer.bytes", "65536"),
                        "application.properties", 250))
                .build();

        assertThat(config.getValue("kafka.receive.buffer.bytes", Integer.class)).isEqualTo(65536);
        assertThat(config.getValue("kafka.send.buffer.bytes", Integer.class)).isEqualTo(-1);
    }
}
