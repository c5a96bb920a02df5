package dev.nuvola.devstack.kafka;

import dev.nuvola.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaIpv4Test {

    @Test
    void startsOnIpv4AndDeletesItsTemporaryLogDir() throws Exception {
        Path logDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withHost("127.0.0.1").withPartitions(2))) {
            assertTrue(kafka.bootstrapServers().matches("127\\.0\\.0\\.1:\\d+"), kafka.bootstrapServers());
            logDir = kafka.logDir();
            kafka.createPlatformTopics();
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                Set<String> topics = admin.listTopics().names().get();
                assertTrue(topics.containsAll(Topics.ALL), topics.toString());
                assertEquals(2, admin.describeTopics(Set.of(Topics.HOST_STATUS)).allTopicNames().get()
                        .get(Topics.HOST_STATUS).partitions().size());
            }
        }
        assertFalse(Files.exists(logDir), "temporary log dir left behind: " + logDir);
    }

    @Test
    void keepsAGivenLogDirAndRestartsOnIt(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withHost("127.0.0.1").withLogDir(logDir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options)) {
            kafka.createPlatformTopics();
        }
        assertTrue(Files.exists(logDir.resolve("meta.properties")));
        // Already formatted: the second start must reuse it, topics included.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options);
                Admin admin = Admin.create(kafka.adminConfig())) {
            assertTrue(admin.listTopics().names().get().containsAll(Topics.ALL));
        }
    }
}
