package dev.nuvola.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;

/** deploy/'s manifests as fabric8's typed objects: rendered by kubectl kustomize, or file by file. */
final class Manifests {
    /** Every kustomization that is deployed on its own. */
    static final List<String> OVERLAYS = List.of("deploy/overlays/dev", "deploy/overlays/prod");

    private static Boolean kubectl;

    private Manifests() {
    }

    /** Whether kubectl (with its built-in kustomize) runs here. */
    static synchronized boolean kubectlAvailable() {
        if (kubectl == null) {
            kubectl = Repo.available("kubectl", "version", "--client");
        }
        return kubectl;
    }

    /** {@code kubectl kustomize DIR}, parsed: what {@code kubectl apply} would receive. */
    static List<HasMetadata> render(String kustomization) {
        Repo.Result result = Repo.run(60, "kubectl", "kustomize", Repo.path(kustomization).toString());
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + kustomization + " failed: " + result.stderr());
        }
        return parse(new ByteArrayInputStream(result.stdout().getBytes(StandardCharsets.UTF_8)));
    }

    /** One YAML file of one or more documents, parsed with fabric8's Serialization.unmarshal. */
    static List<HasMetadata> parseFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<HasMetadata> parse(InputStream in) {
        Object parsed = Serialization.unmarshal(in);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof KubernetesList list) {
            objects.addAll(list.getItems());
        } else if (parsed instanceof Collection<?> many) {
            many.forEach(o -> objects.add((HasMetadata) o));
        } else if (parsed != null) {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    /**
     * The manifest files a kustomization lists under {@code resources}, following directories to their own
     * kustomization. Only the listing: no generator, patch or transformer is applied (that is kustomize's job,
     * and these files are checked as they are written).
     */
    static List<Path> resourceFiles(String kustomization) {
        List<Path> files = new ArrayList<>();
        collect(Repo.path(kustomization), files);
        return files;
    }

    private static void collect(Path dir, List<Path> files) {
        JsonNode kustomization;
        try {
            kustomization = Serialization.yamlMapper().readTree(dir.resolve("kustomization.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode entry : kustomization.path("resources")) {
            Path resource = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(resource)) {
                collect(resource, files);
            } else if (!files.contains(resource)) {
                files.add(resource);
            }
        }
    }

    /** A generic object's field, for the custom resources (Strimzi, Prometheus Operator) fabric8 has no class for. */
    @SuppressWarnings("unchecked")
    static Object field(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = ((Map<String, Object>) m).get(key);
        }
        return current;
    }
}
