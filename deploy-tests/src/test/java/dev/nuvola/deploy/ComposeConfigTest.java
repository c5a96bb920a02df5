package dev.nuvola.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as {@code docker-compose config} resolves it (anchors, merges, variables): valid for
 * Compose, and wired the way the platform needs. No Docker engine is needed, nor used. Skipped, saying so,
 * where docker-compose is not installed (Debian: apt-get install docker-compose).
 */
class ComposeConfigTest {
    private static final Set<String> SERVICES = Set.of("inventory-service", "scaler-service", "migration-service");
    private static final String AGENT_IMAGE = "nuvola/host-agent";

    private static JsonNode services;
    private static JsonNode config;

    @BeforeAll
    static void resolve() throws Exception {
        Assumptions.assumeTrue(Repo.available("docker-compose", "version"),
                "docker-compose is not on the PATH: docker-compose.yml was not validated (apt-get install docker-compose)");
        Repo.Result result = Repo.run(60, "docker-compose", "-f", Repo.path("docker-compose.yml").toString(), "config");
        assertThat(result.exitCode()).as("docker-compose config: " + result.stderr()).isZero();
        config = Serialization.yamlMapper().readTree(result.stdout());
        services = config.path("services");
    }

    private static List<String> agents() {
        List<String> agents = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (services.path(name).path("image").asText().startsWith(AGENT_IMAGE + ":")) {
                agents.add(name);
            }
        });
        return agents;
    }

    private static String env(String service, String name) {
        return services.path(service).path("environment").path(name).asText(null);
    }

    /** Volumes as target path -> source, from either the short ("src:dst:ro") or the long form. */
    private static Map<String, String> volumes(String service) {
        Map<String, String> byTarget = new HashMap<>();
        for (JsonNode v : services.path(service).path("volumes")) {
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                byTarget.put(parts[1], parts[0]);
            } else {
                byTarget.put(v.path("target").asText(), v.path("source").asText());
            }
        }
        return byTarget;
    }

    @Test
    void kafkaIsApacheKafka41InKraftModeListeningOnIpv6AndTheNetworkIsDualStack() {
        JsonNode kafka = services.path("kafka");
        assertThat(kafka.path("image").asText()).matches("apache/kafka:4\\.1\\.\\d+");
        assertThat(env("kafka", "KAFKA_PROCESS_ROLES")).contains("controller").contains("broker");
        assertThat(env("kafka", "KAFKA_LISTENERS")).contains("PLAINTEXT://[::]:9092");
        // Every platform service uses the broker's advertised in-network address.
        String advertised = env("kafka", "KAFKA_ADVERTISED_LISTENERS");
        for (String service : SERVICES) {
            assertThat(advertised).contains("PLAINTEXT://" + env(service, "KAFKA_BOOTSTRAP_SERVERS"));
        }
        JsonNode network = config.path("networks").path("nuvola");
        assertThat(network.path("enable_ipv6").asBoolean()).isTrue();
        List<String> subnets = new ArrayList<>();
        network.path("ipam").path("config").forEach(c -> subnets.add(c.path("subnet").asText()));
        assertThat(subnets).anyMatch(s -> s.contains(":"));
    }

    @Test
    void everyPlatformContainerIsBuiltFromItsModulesDockerfileAndHealthCheckedOnReadiness() {
        Set<String> platform = new HashSet<>(SERVICES);
        platform.addAll(agents());
        for (String name : platform) {
            JsonNode service = services.path(name);
            String test = service.path("healthcheck").path("test").toString();
            assertThat(test).as(name + " healthcheck").contains("/q/health/ready");
            // The health check reaches the port the service listens on, which is the one published.
            String port = env(name, "QUARKUS_HTTP_PORT");
            assertThat(port).as(name + " QUARKUS_HTTP_PORT").isNotNull();
            assertThat(service.path("ports").toString()).as(name + " ports").contains(port);
        }
        for (String name : SERVICES) {
            JsonNode build = services.path(name).path("build");
            assertThat(build.path("dockerfile").asText()).isEqualTo("src/main/docker/Dockerfile.jvm");
            assertThat(Files.isRegularFile(Repo.path(name).resolve("src/main/docker/Dockerfile.jvm"))).isTrue();
            assertThat(build.path("context").asText()).endsWith("/" + name);
        }
        assertThat(agents()).anyMatch(a -> services.path(a).path("build").path("context").asText().endsWith("/host-agent"));
    }

    @Test
    void startupIsGatedOnHealthAndOnTheTopicsExisting() {
        Set<String> platform = new HashSet<>(SERVICES);
        platform.addAll(agents());
        for (String name : platform) {
            JsonNode dependsOn = services.path(name).path("depends_on");
            assertThat(dependsOn.path("kafka-topics").path("condition").asText()).as(name + " on kafka-topics")
                    .isEqualTo("service_completed_successfully");
            dependsOn.fieldNames().forEachRemaining(dependency -> {
                if (dependsOn.path(dependency).path("condition").asText().equals("service_healthy")) {
                    assertThat(services.path(dependency).has("healthcheck"))
                            .as(name + " waits for " + dependency + " to be healthy, so it needs a healthcheck").isTrue();
                }
            });
        }
        assertThat(services.path("kafka-topics").path("depends_on").path("kafka").path("condition").asText())
                .isEqualTo("service_healthy");
        for (String name : List.of("inventory-service", "migration-service")) {
            assertThat(services.path(name).path("depends_on").path("postgres").path("condition").asText())
                    .isEqualTo("service_healthy");
        }
    }

    @Test
    void theDatabasesTheServicesUseAreTheOnesTheInitScriptCreates() {
        String init = Repo.read("deploy/overlays/dev/postgres-init.sql");
        assertThat(volumes("postgres").get("/docker-entrypoint-initdb.d/10-nuvola-databases.sql"))
                .isEqualTo(Repo.path("deploy/overlays/dev/postgres-init.sql").toString());
        for (String[] db : new String[][] {{"inventory-service", "NUVOLA_INVENTORY_DB_URL"},
                {"migration-service", "NUVOLA_MIGRATION_DB_URL"}}) {
            String url = env(db[0], db[1]);
            assertThat(url).startsWith("jdbc:postgresql://postgres:5432/");
            String database = url.substring(url.lastIndexOf('/') + 1);
            assertThat(init).contains("CREATE DATABASE " + database + " ");
            assertThat(env(db[0], "NUVOLA_DB_USER")).isEqualTo(env("postgres", "POSTGRES_USER"));
            assertThat(env(db[0], "NUVOLA_DB_PASSWORD")).isEqualTo(env("postgres", "POSTGRES_PASSWORD"));
        }
        assertThat(volumes("kafka-topics").get("/nuvola/create-topics.sh"))
                .isEqualTo(Repo.path("deploy/overlays/dev/create-topics.sh").toString());
    }

    @Test
    void simulatedAgentsRunOnTheShippedNodeFilesAndShareOneSpool() {
        List<String> agents = agents();
        assertThat(agents).hasSizeBetween(2, 3);
        Set<String> hostIds = new HashSet<>();
        Set<String> spools = new HashSet<>();
        for (String agent : agents) {
            hostIds.add(env(agent, "NUVOLA_HOST_ID"));
            String uri = env(agent, "NUVOLA_LIBVIRT_URI");
            assertThat(uri).startsWith("test:///nodes/");
            Map<String, String> volumes = volumes(agent);
            assertThat(volumes.get("/nodes")).isEqualTo(Repo.path("host-agent/src/main/resources/nodes").toString());
            assertThat(Repo.path("host-agent/src/main/resources/nodes").resolve(uri.substring("test:///nodes/".length())))
                    .isRegularFile();
            String spoolDir = env(agent, "NUVOLA_MIGRATION_SPOOL_DIR");
            assertThat(volumes).containsKey(spoolDir);
            spools.add(volumes.get(spoolDir));
            // Other hosts reach an agent at its management address: its fixed address on the network.
            assertThat(services.path(agent).path("networks").path("nuvola").path("ipv6_address").asText())
                    .isEqualTo(env(agent, "NUVOLA_AGENT_MANAGEMENT_ADDRESS"));
        }
        assertThat(hostIds).hasSize(agents.size());
        assertThat(spools).hasSize(1);
        assertThat(config.path("volumes").has(spools.iterator().next())).as("the spool is a named volume").isTrue();
    }
}
