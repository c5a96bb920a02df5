package dev.nuvola.devstack.test;

import dev.nuvola.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resource as Quarkus drives it: init, start, stop, then again for the next test class. */
class NuvolaStackResourceTest {

    @Test
    void sharesOneBrokerAndOneServerAcrossStartsAndStops() throws Exception {
        NuvolaStackResource first = new NuvolaStackResource();
        first.init(Map.of(NuvolaStackResource.DATABASE, "inventory"));
        Map<String, String> config = first.start();
        first.stop();

        String bootstrap = config.get("kafka.bootstrap.servers");
        assertEquals(NuvolaStackResource.bootstrapServers(), bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertTrue(admin.listTopics().names().get().containsAll(Topics.ALL), "stop() must not stop the broker");
        }

        String url = config.get("quarkus.datasource.jdbc.url");
        assertTrue(url.endsWith("/inventory"), url);
        try (Connection connection = DriverManager.getConnection(url, config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            assertEquals("inventory", rows.getString(1));
        }

        NuvolaStackResource second = new NuvolaStackResource();
        second.init(Map.of(NuvolaStackResource.DATABASE, "migration"));
        Map<String, String> secondConfig = second.start();
        assertEquals(bootstrap, secondConfig.get("kafka.bootstrap.servers"));
        assertTrue(secondConfig.get("quarkus.datasource.jdbc.url").endsWith("/migration"));
        assertEquals(url.replace("/inventory", ""), secondConfig.get("quarkus.datasource.jdbc.url")
                .replace("/migration", ""), "same server");
    }

    @Test
    void withoutTheDatabaseArgOnlyKafkaIsConfigured() {
        NuvolaStackResource resource = new NuvolaStackResource();
        resource.init(Map.of());
        Map<String, String> config = resource.start();
        assertEquals(Map.of("kafka.bootstrap.servers", NuvolaStackResource.bootstrapServers()), config);
        assertFalse(config.containsKey("quarkus.datasource.jdbc.url"));
    }
}
