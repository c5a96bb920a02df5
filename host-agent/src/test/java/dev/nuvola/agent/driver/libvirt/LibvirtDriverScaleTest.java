package dev.nuvola.agent.driver.libvirt;

import dev.nuvola.agent.driver.GuestState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.nuvola.devstack.platform.NodeFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * guests() is the agent's per-cycle read: for 1,000 domains every size must come back right. How fast
 * it is belongs to the benchmarks (BENCHMARKS.md), not to a timed test.
 */
class LibvirtDriverScaleTest {

    private static final int DOMAINS = 1_000;

    @TempDir
    Path tempDir;

    @Test
    void readsAThousandGuestsInOneCycle() throws Exception {
        Path node = tempDir.resolve("thousand.xml");
        Files.writeString(node, nodeWith(DOMAINS));

        try (LibvirtDriver driver = new LibvirtDriver("test://" + node.toAbsolutePath())) {
            List<GuestState> first = driver.guests();
            assertThat(first).hasSize(DOMAINS);
            for (GuestState guest : first) {
                int i = Integer.parseInt(guest.name().substring("g-".length()));
                assertThat(guest.running()).isTrue();
                assertThat(guest.memoryMiB()).isEqualTo(512 + (i % 8) * 256L);
                assertThat(guest.maxMemoryMiB()).isEqualTo(8192);
                assertThat(guest.vcpus()).isEqualTo(1 + i % 4);
                assertThat(guest.maxVcpus()).isEqualTo(8);
            }
        }
    }

    private static String nodeWith(int domains) {
        List<NodeFile.Domain> list = new ArrayList<>();
        for (int i = 0; i < domains; i++) {
            list.add(new NodeFile.Domain(String.format("g-%04d", i), 512 + (i % 8) * 256L, 8192, 1 + i % 4, 8));
        }
        return NodeFile.xml(1024 * 1024, 64, list);
    }
}
