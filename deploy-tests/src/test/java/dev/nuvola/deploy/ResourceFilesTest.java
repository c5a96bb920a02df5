package dev.nuvola.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every manifest file a kustomization lists, parsed on its own with fabric8's Serialization.unmarshal and checked
 * as written: no kustomize step is applied (no generator, patch or namespace), so it runs without kubectl, and a
 * file that only passes once patched is caught. Generated objects (ConfigMaps, Secrets) are covered by
 * {@link RenderedOverlaysTest}.
 */
class ResourceFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/monitoring", "deploy/overlays/dev", "deploy/overlays/prod"})
    void everyResourceFileParsesIntoTypedObjectsWithLabelsProbesAndResources(String kustomization) {
        List<Path> files = Manifests.resourceFiles(kustomization);
        List<HasMetadata> objects = new ArrayList<>();
        for (Path file : files) {
            List<HasMetadata> parsed = Manifests.parseFile(file);
            assertThat(parsed).as(Repo.ROOT.relativize(file) + " objects").isNotEmpty();
            objects.addAll(parsed);
        }
        assertThat(files).isNotEmpty();
        assertThat(ManifestChecks.typed(objects)).isEmpty();
        assertThat(ManifestChecks.standardLabels(objects)).isEmpty();
        assertThat(ManifestChecks.probesAndResources(objects)).isEmpty();
        assertThat(ManifestChecks.quarkusHealthProbes(objects)).isEmpty();
    }
}
