package dev.nuvola.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each service's image: the Quarkus fast-jar layout, on the port its application.properties listens on. */
class DockerfilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"host-agent", "scaler-service", "inventory-service", "migration-service"})
    void theImageCopiesTheFastJarAndExposesTheServicesPort(String module) throws IOException {
        String dockerfile = Repo.read(module + "/src/main/docker/Dockerfile.jvm");
        for (String part : new String[] {"lib/", "*.jar", "app/", "quarkus/"}) {
            assertThat(dockerfile).contains("target/quarkus-app/" + part + " /deployments/");
        }
        assertThat(dockerfile).contains("quarkus-run.jar");
        Properties properties = new Properties();
        properties.load(new StringReader(Repo.read(module + "/src/main/resources/application.properties")));
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE " + properties.getProperty("quarkus.http.port") + "$");
        // 0.0.0.0 would make the service unreachable on an IPv6-only network; application.properties binds "::".
        assertThat(properties.getProperty("quarkus.http.host")).isEqualTo("::");
        assertThat(dockerfile).doesNotContain("quarkus.http.host=0.0.0.0");
        assertThat(dockerfile).containsPattern("(?m)^USER 185$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host-agent"})
    void theAgentsImageIsDebianWithLibvirtsClientLibrary(String module) {
        String dockerfile = Repo.read(module + "/src/main/docker/Dockerfile.jvm");
        assertThat(dockerfile).containsPattern("(?m)^FROM debian:");
        assertThat(dockerfile).containsPattern("apt-get install [^\\n]*libvirt0");
    }
}
