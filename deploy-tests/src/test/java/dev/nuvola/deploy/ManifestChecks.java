package dev.nuvola.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * Rules every manifest keeps, as lists of violations (empty: all kept), so that a failure names every object
 * at fault at once. Used on the rendered overlays and on the resource files one by one.
 */
final class ManifestChecks {
    static final String NAME = "app.kubernetes.io/name";
    static final String PART_OF = "app.kubernetes.io/part-of";

    /** API groups fabric8's model has classes for: objects of these must not come back as generic maps. */
    private static final Set<String> BUILT_IN = Set.of("v1", "apps/v1", "batch/v1", "policy/v1");
    /** The custom resources deploy/ uses, from Strimzi and the Prometheus Operator. */
    private static final Set<String> CUSTOM = Set.of("kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool", "kafka.strimzi.io/v1beta2/KafkaTopic",
            "monitoring.coreos.com/v1/ServiceMonitor");

    private ManifestChecks() {
    }

    static String id(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    /** Built-in kinds parsed into their model classes; everything else one of the custom resources we expect. */
    static List<String> typed(List<HasMetadata> objects) {
        List<String> violations = new ArrayList<>();
        for (HasMetadata o : objects) {
            boolean generic = o instanceof GenericKubernetesResource;
            if (BUILT_IN.contains(o.getApiVersion()) && generic) {
                violations.add(id(o) + ": " + o.getApiVersion() + " parsed as a generic resource");
            } else if (!BUILT_IN.contains(o.getApiVersion()) && !CUSTOM.contains(o.getApiVersion() + "/" + o.getKind())) {
                violations.add(id(o) + ": unexpected API " + o.getApiVersion() + " " + o.getKind());
            }
        }
        return violations;
    }

    /** The pod template of every workload, keyed by the workload's id. */
    static Map<String, PodTemplateSpec> podTemplates(List<HasMetadata> objects) {
        Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
        for (HasMetadata o : objects) {
            PodTemplateSpec template = null;
            if (o instanceof Deployment d) {
                template = d.getSpec().getTemplate();
            } else if (o instanceof DaemonSet d) {
                template = d.getSpec().getTemplate();
            } else if (o instanceof StatefulSet s) {
                template = s.getSpec().getTemplate();
            } else if (o instanceof Job j) {
                template = j.getSpec().getTemplate();
            }
            if (template != null) {
                templates.put(id(o), template);
            }
        }
        return templates;
    }

    /**
     * Every container: CPU and memory requests and limits. Every container of a long-running workload (not a Job):
     * a readiness and a liveness probe.
     */
    static List<String> probesAndResources(List<HasMetadata> objects) {
        List<String> violations = new ArrayList<>();
        podTemplates(objects).forEach((workload, template) -> {
            boolean longRunning = !workload.startsWith("Job/");
            List<Container> containers = new ArrayList<>(template.getSpec().getContainers());
            containers.addAll(template.getSpec().getInitContainers());
            for (Container c : containers) {
                String where = workload + " container " + c.getName();
                ResourceRequirements r = c.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    if (r == null || r.getRequests() == null || !r.getRequests().containsKey(resource)) {
                        violations.add(where + ": no " + resource + " request");
                    }
                    if (r == null || r.getLimits() == null || !r.getLimits().containsKey(resource)) {
                        violations.add(where + ": no " + resource + " limit");
                    }
                }
                if (longRunning && template.getSpec().getContainers().contains(c)) {
                    if (c.getReadinessProbe() == null) {
                        violations.add(where + ": no readiness probe");
                    }
                    if (c.getLivenessProbe() == null) {
                        violations.add(where + ": no liveness probe");
                    }
                }
            }
        });
        return violations;
    }

    /** The platform's own images answer Quarkus' health endpoints: probes use them, on a port the container has. */
    static List<String> quarkusHealthProbes(List<HasMetadata> objects) {
        List<String> violations = new ArrayList<>();
        podTemplates(objects).forEach((workload, template) -> {
            for (Container c : template.getSpec().getContainers()) {
                if (!c.getImage().startsWith("nuvola/")) {
                    continue;
                }
                String where = workload + " container " + c.getName();
                check(violations, where, "readiness", c.getReadinessProbe(), "/q/health/ready", c);
                check(violations, where, "liveness", c.getLivenessProbe(), "/q/health/live", c);
                // A slow start (Flyway, first Kafka connection) must not count against liveness.
                if (c.getStartupProbe() == null) {
                    violations.add(where + ": no startup probe");
                }
            }
        });
        return violations;
    }

    private static void check(List<String> violations, String where, String kind, Probe probe, String path,
                              Container c) {
        if (probe == null || probe.getHttpGet() == null) {
            violations.add(where + ": " + kind + " probe is not an HTTP GET of " + path);
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            violations.add(where + ": " + kind + " probe on " + probe.getHttpGet().getPath() + ", not " + path);
        }
        var port = probe.getHttpGet().getPort();
        boolean found = c.getPorts().stream().map(ContainerPort::getName).anyMatch(n -> n != null && n.equals(port.getStrVal()))
                || c.getPorts().stream().anyMatch(p -> p.getContainerPort().equals(port.getIntVal()));
        if (!found) {
            violations.add(where + ": " + kind + " probe port " + port + " is not one of the container's ports");
        }
    }

    /** Every object, and every pod template, has a name label and is part of nuvola. */
    static List<String> standardLabels(List<HasMetadata> objects) {
        List<String> violations = new ArrayList<>();
        for (HasMetadata o : objects) {
            labels(violations, id(o), o.getMetadata().getLabels());
        }
        podTemplates(objects).forEach((workload, template) ->
                labels(violations, workload + " pod template", template.getMetadata().getLabels()));
        return violations;
    }

    private static void labels(List<String> violations, String where, Map<String, String> labels) {
        if (labels == null || labels.get(NAME) == null || labels.get(NAME).isBlank()) {
            violations.add(where + ": no " + NAME + " label");
        }
        if (labels == null || !"nuvola".equals(labels.get(PART_OF))) {
            violations.add(where + ": not labelled " + PART_OF + "=nuvola");
        }
    }
}
