package dev.nuvola.deploy;

import static dev.nuvola.deploy.ManifestChecks.id;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.nuvola.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay rendered by {@code kubectl kustomize}, exactly what {@code kubectl apply} would get, parsed into
 * fabric8's typed objects. Skipped, saying so, where kubectl is missing; {@link ResourceFilesTest} then still
 * checks every resource file as written.
 */
class RenderedOverlaysTest {
    /** Made by the operator (or a secret manager), never shipped: docs/deploy.md says how. */
    private static final Map<String, Set<String>> OPERATOR_SECRETS = Map.of(
            "deploy/overlays/dev", Set.of("nuvola-jwt"),
            "deploy/overlays/prod", Set.of("nuvola-db", "nuvola-jwt"));
    private static final Set<String> SERVICES = Set.of("inventory-service", "scaler-service", "migration-service");

    private static final Map<String, List<HasMetadata>> RENDERED = new HashMap<>();

    @BeforeAll
    static void render() {
        Assumptions.assumeTrue(Manifests.kubectlAvailable(), "kubectl is not on the PATH: the overlays were not "
                + "rendered with kubectl kustomize; ResourceFilesTest checked each resource file as written instead");
        for (String overlay : Manifests.OVERLAYS) {
            RENDERED.put(overlay, Manifests.render(overlay));
        }
    }

    private static List<HasMetadata> rendered(String overlay) {
        return RENDERED.get(overlay);
    }

    private static <T extends HasMetadata> List<T> all(String overlay, Class<T> type) {
        return rendered(overlay).stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T one(String overlay, Class<T> type, String name) {
        return all(overlay, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " has no " + type.getSimpleName() + " " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void everyObjectParsesIntoItsTypedModelAndTheWholePlatformIsThere(String overlay) {
        assertThat(ManifestChecks.typed(rendered(overlay))).isEmpty();
        assertThat(all(overlay, Deployment.class)).extracting(d -> d.getMetadata().getName()).containsAll(SERVICES);
        assertThat(all(overlay, DaemonSet.class)).extracting(d -> d.getMetadata().getName()).containsExactly("host-agent");
        String namespace = overlay.endsWith("dev") ? "nuvola-dev" : "nuvola";
        assertThat(rendered(overlay).stream().filter(o -> !(o instanceof Namespace))
                .filter(o -> !namespace.equals(o.getMetadata().getNamespace())).map(ManifestChecks::id))
                .as("objects outside namespace " + namespace).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void everyContainerHasReadinessAndLivenessProbesAndResourceRequestsAndLimits(String overlay) {
        assertThat(ManifestChecks.podTemplates(rendered(overlay))).isNotEmpty();
        assertThat(ManifestChecks.probesAndResources(rendered(overlay))).isEmpty();
        assertThat(ManifestChecks.quarkusHealthProbes(rendered(overlay))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void everyObjectAndPodTemplateCarriesTheStandardLabels(String overlay) {
        assertThat(ManifestChecks.standardLabels(rendered(overlay))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void everyServiceSelectsPodsOfTheSameRender(String overlay) {
        Map<String, PodTemplateSpec> templates = ManifestChecks.podTemplates(rendered(overlay));
        List<String> violations = new ArrayList<>();
        for (Service service : all(overlay, Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            boolean selects = selector != null && templates.values().stream()
                    .anyMatch(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
            if (!selects) {
                violations.add(id(service) + " selects no pod of the render: " + selector);
            }
        }
        assertThat(all(overlay, Service.class)).isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void everyPlatformDeploymentIsCoveredByAPodDisruptionBudgetThatAllowsADrain(String overlay) {
        for (String name : SERVICES) {
            Deployment deployment = one(overlay, Deployment.class, name);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<PodDisruptionBudget> budgets = all(overlay, PodDisruptionBudget.class).stream()
                    .filter(b -> podLabels.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
                    .toList();
            assertThat(budgets).as(name + " PodDisruptionBudgets").hasSize(1);
            PodDisruptionBudget budget = budgets.get(0);
            int replicas = deployment.getSpec().getReplicas();
            // A budget that keeps every replica would make "kubectl drain" wait forever.
            if (budget.getSpec().getMinAvailable() != null) {
                assertThat(budget.getSpec().getMinAvailable().getIntVal()).as(name + " minAvailable")
                        .isLessThan(replicas);
            } else {
                assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as(name + " maxUnavailable").isPositive();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void everyReferencedConfigMapAndSecretIsInTheRenderOrMadeByTheOperator(String overlay) {
        Set<String> configMaps = all(overlay, ConfigMap.class).stream().map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        Set<String> secrets = all(overlay, Secret.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        Set<String> missingSecrets = new HashSet<>();
        List<String> violations = new ArrayList<>();
        ManifestChecks.podTemplates(rendered(overlay)).forEach((workload, template) -> {
            PodSpec pod = template.getSpec();
            for (Container c : pod.getContainers()) {
                c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                        .map(e -> e.getConfigMapRef().getName()).filter(n -> !configMaps.contains(n))
                        .forEach(n -> violations.add(workload + ": ConfigMap " + n + " is not in the render"));
                c.getEnv().stream().map(EnvVar::getValueFrom).filter(v -> v != null && v.getSecretKeyRef() != null)
                        .map(v -> v.getSecretKeyRef().getName()).filter(n -> !secrets.contains(n))
                        .forEach(missingSecrets::add);
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getConfigMap() != null && !configMaps.contains(v.getConfigMap().getName())) {
                    violations.add(workload + ": ConfigMap " + v.getConfigMap().getName() + " is not in the render");
                }
                if (v.getSecret() != null && !secrets.contains(v.getSecret().getSecretName())) {
                    missingSecrets.add(v.getSecret().getSecretName());
                }
            }
        });
        assertThat(violations).isEmpty();
        assertThat(missingSecrets).as("Secrets referenced but not rendered").isEqualTo(OPERATOR_SECRETS.get(overlay));
        if (overlay.endsWith("prod")) {
            assertThat(secrets).as("prod ships no secret value").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/overlays/dev", "deploy/overlays/prod"})
    void theHostAgentIsADaemonSetWhoseHostIdIsItsNodesName(String overlay) {
        Container agent = one(overlay, DaemonSet.class, "host-agent").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        EnvVar hostId = env(agent, "NUVOLA_HOST_ID");
        assertThat(hostId.getValue()).isNull();
        assertThat(hostId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    }

    @Test
    void inProdTheAgentReachesTheNodesLibvirtSocketAndCgroupsOnTheHostNetwork() {
        PodSpec pod = one("deploy/overlays/prod", DaemonSet.class, "host-agent").getSpec().getTemplate().getSpec();
        Container agent = pod.getContainers().get(0);
        assertThat(pod.getHostNetwork()).isTrue();
        // With hostNetwork the node's resolver would miss the cluster's Services (Kafka).
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(env(agent, "NUVOLA_LIBVIRT_URI").getValue()).isEqualTo("qemu:///system");
        assertThat(env(agent, "NUVOLA_AGENT_MANAGEMENT_ADDRESS").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("status.podIP");
        Map<String, String> hostPathByMount = new TreeMap<>();
        agent.getVolumeMounts().forEach(m -> pod.getVolumes().stream()
                .filter(v -> v.getName().equals(m.getName()) && v.getHostPath() != null)
                .forEach(v -> hostPathByMount.put(m.getMountPath(), v.getHostPath().getPath())));
        assertThat(hostPathByMount).containsEntry("/var/run/libvirt", "/var/run/libvirt")
                .containsEntry("/sys/fs/cgroup", "/sys/fs/cgroup")
                // The ledger of answered commands outlives the pod: exactly one answer per command across restarts.
                .containsEntry(env(agent, "NUVOLA_STATE_DIR").getValue(), "/var/lib/nuvola-agent");
    }

    @Test
    void inDevTheAgentRunsOnLibvirtsTestDriverOnAnyNode() {
        PodSpec pod = one("deploy/overlays/dev", DaemonSet.class, "host-agent").getSpec().getTemplate().getSpec();
        assertThat(env(pod.getContainers().get(0), "NUVOLA_LIBVIRT_URI").getValue()).startsWith("test:///");
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        // Nodes of a laptop cluster have no libvirtd: nothing may require its socket directory.
        assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null
                && v.getHostPath().getPath().startsWith("/var/run/libvirt"));
    }

    @Test
    void inDevEveryAddressInTheConfigIsAServiceOfTheRender() {
        String overlay = "deploy/overlays/dev";
        Map<String, String> config = platformConfig(overlay);
        List<String> addresses = List.of(config.get("KAFKA_BOOTSTRAP_SERVERS"),
                jdbcAuthority(config.get("NUVOLA_INVENTORY_DB_URL")), jdbcAuthority(config.get("NUVOLA_MIGRATION_DB_URL")));
        for (String address : addresses) {
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            assertThat(one(overlay, Service.class, address.substring(0, address.lastIndexOf(':'))).getSpec().getPorts())
                    .as("Service for " + address).anyMatch(p -> p.getPort().equals(port));
        }
    }

    @Test
    void inProdKafkaIsAStrimziClusterWithEveryPlatformTopicAndItsDeadLetterTopic() {
        String overlay = "deploy/overlays/prod";
        List<GenericKubernetesResource> custom = all(overlay, GenericKubernetesResource.class);
        GenericKubernetesResource kafka = custom.stream().filter(r -> r.getKind().equals("Kafka")).findFirst()
                .orElseThrow(() -> new AssertionError("no Strimzi Kafka in prod"));
        String cluster = kafka.getMetadata().getName();
        assertThat((String) Manifests.field(kafka.getAdditionalProperties(), "spec", "kafka", "version"))
                .as("Kafka version").startsWith("4.1.");
        // KRaft: the nodes come from a node pool of the same cluster, with the controller role.
        assertThat(custom).filteredOn(r -> r.getKind().equals("KafkaNodePool")).anySatisfy(pool -> {
            @SuppressWarnings("unchecked")
            List<Object> roles = (List<Object>) Manifests.field(pool.getAdditionalProperties(), "spec", "roles");
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
            assertThat(roles).contains("controller", "broker");
        });
        // The services' bootstrap address is this cluster's plain listener.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listeners = (List<Map<String, Object>>) Manifests.field(kafka.getAdditionalProperties(),
                "spec", "kafka", "listeners");
        Map<String, Object> plain = listeners.stream().filter(l -> Boolean.FALSE.equals(l.get("tls"))).findFirst()
                .orElseThrow();
        assertThat(platformConfig(overlay).get("KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(cluster + "-kafka-bootstrap:" + plain.get("port"));

        Map<String, GenericKubernetesResource> topics = new TreeMap<>();
        custom.stream().filter(r -> r.getKind().equals("KafkaTopic")).forEach(t ->
                topics.put((String) Manifests.field(t.getAdditionalProperties(), "spec", "topicName"), t));
        Set<String> expected = new HashSet<>(Topics.ALL);
        Topics.ALL.forEach(t -> expected.add(Topics.dlq(t)));
        assertThat(topics.keySet()).isEqualTo(expected);
        topics.forEach((name, topic) -> {
            assertThat(topic.getMetadata().getLabels()).as(name).containsEntry("strimzi.io/cluster", cluster);
            String policy = (String) Manifests.field(topic.getAdditionalProperties(), "spec", "config", "cleanup.policy");
            assertThat(policy).as(name + " cleanup.policy").isEqualTo(Topics.COMPACTED.contains(name) ? "compact" : "delete");
            if (name.endsWith(Topics.DLQ_SUFFIX)) {
                // A dead record keeps its key's partition only if both topics have the same count.
                Object source = Manifests.field(topics.get(name.substring(0, name.length() - Topics.DLQ_SUFFIX.length()))
                        .getAdditionalProperties(), "spec", "partitions");
                assertThat(Manifests.field(topic.getAdditionalProperties(), "spec", "partitions")).as(name).isEqualTo(source);
            }
        });
    }

    @Test
    void inProdPrometheusScrapesTheMetricsOfEveryPlatformService() {
        String overlay = "deploy/overlays/prod";
        GenericKubernetesResource monitor = all(overlay, GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("ServiceMonitor")).findFirst()
                .orElseThrow(() -> new AssertionError("no ServiceMonitor in prod"));
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) Manifests.field(monitor.getAdditionalProperties(),
                "spec", "selector", "matchLabels");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) Manifests.field(
                monitor.getAdditionalProperties(), "spec", "endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0)).containsEntry("path", "/q/metrics");
        Set<String> platform = new HashSet<>(SERVICES);
        platform.add("host-agent");
        for (String name : platform) {
            Service service = one(overlay, Service.class, name);
            assertThat(service.getMetadata().getLabels().entrySet()).as(name + " labels").containsAll(selector.entrySet());
            assertThat(service.getSpec().getPorts()).as(name + " ports")
                    .anyMatch(p -> p.getName().equals(endpoints.get(0).get("port")));
        }
        // Grafana's sidecar picks the dashboard up by its label.
        assertThat(one(overlay, ConfigMap.class, "nuvola-grafana-dashboard").getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1");
    }

    private static Map<String, String> platformConfig(String overlay) {
        return all(overlay, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("nuvola-config")).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " has no nuvola-config")).getData();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static String jdbcAuthority(String url) {
        String rest = url.substring("jdbc:postgresql://".length());
        return rest.substring(0, rest.indexOf('/'));
    }
}
