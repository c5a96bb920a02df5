package dev.nuvola.agent.driver.libvirt;

import dev.nuvola.agent.driver.Allocation;
import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.DriverException;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_GROW;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_SHRINK;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MIGRATION;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_VCPU;
import static dev.nuvola.agent.driver.DriverCapability.SAVE_RESTORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs against libvirt's real test driver (needs libvirt.so.0, Debian package libvirt0). Each test
 * opens its own connection to the node file, and the test driver gives every file connection its
 * own state, so the tests do not see each other's changes.
 */
class LibvirtDriverTest {

    @TempDir
    static Path tempDir;

    private static final int VIR_DOMAIN_XML_INACTIVE = 2;

    private LibvirtDriver driver;

    /** The test driver needs an absolute file path: copy the resource out of the class path. */
    static String nodeUri(String resource) throws IOException {
        Path file = tempDir.resolve(resource);
        if (!Files.exists(file)) {
            try (InputStream in = LibvirtDriverTest.class.getResourceAsStream("/nodes/" + resource)) {
                assertThat(in).as("resource nodes/" + resource).isNotNull();
                Files.copy(in, file);
            }
        }
        return "test://" + file.toAbsolutePath();
    }

    @BeforeEach
    void open() throws IOException {
        driver = new LibvirtDriver(nodeUri("libvirt-driver-test.xml"));
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private Map<String, GuestState> guestsByName() {
        return driver.guests().stream().collect(Collectors.toMap(GuestState::name, Function.identity()));
    }

    @Test
    void capacityIsTheNodeFromTheFile() {
        assertThat(driver.name()).isEqualTo("libvirt");
        assertThat(driver.capacity()).isEqualTo(new HostCapacity(16384, 8));
    }

    @Test
    void guestsAreTheActiveDomainsWithTheirSizes() {
        Map<String, GuestState> guests = guestsByName();

        assertThat(guests).containsOnlyKeys("alpha", "beta", "delta"); // gamma is shut off
        GuestState alpha = guests.get("alpha");
        assertThat(alpha.running()).isTrue();
        assertThat(alpha.memoryMiB()).isEqualTo(2048);
        assertThat(alpha.maxMemoryMiB()).isEqualTo(8192);
        assertThat(alpha.vcpus()).isEqualTo(2);
        assertThat(alpha.maxVcpus()).isEqualTo(8);
        assertThat(alpha.cpuTimeNanos()).isPositive();
        // The test driver reports no memory statistics.
        assertThat(alpha.usedMiB()).isEqualTo(GuestState.UNKNOWN);
        assertThat(alpha.hasUsage()).isFalse();

        assertThat(guests.get("beta")).isEqualTo(new GuestState("beta", true, 1024, 4096, 1, 4,
                GuestState.UNKNOWN, guests.get("beta").cpuTimeNanos()));
        assertThat(guests.get("delta")).extracting(GuestState::memoryMiB, GuestState::maxMemoryMiB,
                GuestState::vcpus, GuestState::maxVcpus).containsExactly(512L, 2048L, 1, 2);
    }

    @Test
    void guestByNameFindsRunningAndShutOffDomains() {
        assertThat(driver.guest("beta")).hasValueSatisfying(beta -> {
            assertThat(beta.running()).isTrue();
            assertThat(beta.memoryMiB()).isEqualTo(1024);
            assertThat(beta.maxVcpus()).isEqualTo(4);
        });
        assertThat(driver.guest("gamma")).hasValueSatisfying(gamma -> {
            assertThat(gamma.running()).isFalse();
            assertThat(gamma.memoryMiB()).isEqualTo(1024);
            assertThat(gamma.maxMemoryMiB()).isEqualTo(4096);
            assertThat(gamma.vcpus()).isEqualTo(1);
            assertThat(gamma.maxVcpus()).isEqualTo(4);
            assertThat(gamma.usedMiB()).isEqualTo(GuestState.UNKNOWN);
        });
        assertThat(driver.guest("no-such-guest")).isEmpty();
    }

    /** The guard's cheap totals must be the sums of what guests() reports, before and after a live change. */
    @Test
    void allocationIsTheSumOfTheActiveGuests() {
        Allocation before = driver.allocation();
        assertThat(before).isEqualTo(Allocation.of(driver.guests()));
        GuestState alpha = driver.guest("alpha").orElseThrow(), beta = driver.guest("beta").orElseThrow();

        driver.setMemory("alpha", 6144);
        driver.setVcpus("beta", 3);
        Allocation after = driver.allocation();

        assertThat(after).isEqualTo(Allocation.of(driver.guests()));
        assertThat(after.memoryMiB()).isEqualTo(before.memoryMiB() - alpha.memoryMiB() + 6144);
        assertThat(after.vcpus()).isEqualTo(before.vcpus() - beta.vcpus() + 3);
    }

    @Test
    void setMemoryGrowsAndShrinksLive() {
        driver.setMemory("alpha", 6144);
        assertThat(guestsByName().get("alpha").memoryMiB()).isEqualTo(6144);

        driver.setMemory("alpha", 1024);
        assertThat(guestsByName().get("alpha").memoryMiB()).isEqualTo(1024);
        assertThat(driver.guest("alpha")).get().extracting(GuestState::memoryMiB).isEqualTo(1024L);

        // Up to the maximum exactly is allowed.
        driver.setMemory("alpha", 8192);
        assertThat(guestsByName().get("alpha").memoryMiB()).isEqualTo(8192);
        // The other guests are untouched.
        assertThat(guestsByName().get("beta").memoryMiB()).isEqualTo(1024);
    }

    @Test
    void persistentGuestsKeepTheNewSizesInTheirSavedDefinition() throws Exception {
        driver.setMemory("alpha", 3072);
        driver.setVcpus("alpha", 3);

        String saved = driver.connection().domainLookupByName("alpha").getXMLDesc(VIR_DOMAIN_XML_INACTIVE);
        assertThat(saved).contains("<currentMemory unit='KiB'>" + 3072 * 1024 + "</currentMemory>")
                .contains("current='3'>8</vcpu>");
    }

    @Test
    void aRestartedGuestShowsItsNewMaximumVcpus() throws Exception {
        assertThat(guestsByName().get("alpha").maxVcpus()).isEqualTo(8); // now cached

        // Stop alpha, raise its maximum in the saved definition, start it again (new domain id).
        Connect connection = driver.connection();
        Domain alpha = connection.domainLookupByName("alpha");
        alpha.destroy();
        String definition = alpha.getXMLDesc(VIR_DOMAIN_XML_INACTIVE).replace("current='2'>8</vcpu>", "current='2'>12</vcpu>");
        connection.domainDefineXML(definition).free();
        alpha.create();
        alpha.free();

        assertThat(guestsByName().get("alpha").maxVcpus()).isEqualTo(12);
    }

    @Test
    void aStoppedGuestLeavesTheList() throws Exception {
        Domain beta = driver.connection().domainLookupByName("beta");
        beta.destroy();
        beta.free();

        assertThat(guestsByName()).containsOnlyKeys("alpha", "delta");
        assertThat(driver.guest("beta")).get().extracting(GuestState::running).isEqualTo(false);
    }

    @Test
    void setMemoryOnATransientGuestChangesOnlyTheLiveSize() {
        driver.setMemory("delta", 1536);
        assertThat(guestsByName().get("delta").memoryMiB()).isEqualTo(1536);
    }

    @Test
    void setMemoryAboveTheMaximumFailsWithLibvirtsReason() {
        assertThatThrownBy(() -> driver.setMemory("alpha", 8193))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("alpha")
                .hasMessageContaining("cannot set memory higher than max memory");
        assertThat(guestsByName().get("alpha").memoryMiB()).isEqualTo(2048);
    }

    @Test
    void setVcpusAddsAndRemovesLive() {
        driver.setVcpus("alpha", 6);
        assertThat(guestsByName().get("alpha")).extracting(GuestState::vcpus, GuestState::maxVcpus)
                .containsExactly(6, 8);

        driver.setVcpus("alpha", 1);
        assertThat(guestsByName().get("alpha").vcpus()).isEqualTo(1);

        driver.setVcpus("delta", 2); // transient: live only
        assertThat(guestsByName().get("delta").vcpus()).isEqualTo(2);
    }

    @Test
    void setVcpusAboveTheMaximumFailsWithLibvirtsReason() {
        assertThatThrownBy(() -> driver.setVcpus("beta", 5))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("beta")
                .hasMessageContaining("exceeds maximum");
        assertThat(guestsByName().get("beta").vcpus()).isEqualTo(1);
    }

    @Test
    void unknownGuestFails() {
        assertThatThrownBy(() -> driver.setMemory("no-such-guest", 1024))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("no guest named no-such-guest");
        assertThatThrownBy(() -> driver.setVcpus("no-such-guest", 2))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("no guest named no-such-guest");
    }

    @Test
    void nonPositiveSizesAreRejectedBeforeLibvirt() {
        assertThatThrownBy(() -> driver.setMemory("alpha", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.setVcpus("alpha", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsFromTwoThreadsAreSerialised() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> reader = pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    assertThat(driver.guests()).hasSize(3);
                }
            });
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    driver.setMemory("beta", 1024 + (i % 4) * 512L);
                    driver.setVcpus("beta", 1 + i % 4);
                }
            });
            reader.get();
            writer.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(guestsByName().get("beta")).extracting(GuestState::memoryMiB, GuestState::vcpus)
                .containsExactly(1024L + 3 * 512L, 4);
    }

    @Test
    void closedDriverRefusesCalls() {
        driver.close();
        driver.close(); // idempotent
        assertThatThrownBy(() -> driver.guests()).isInstanceOf(DriverException.class).hasMessageContaining("closed");
    }

    @Test
    void badUriFailsToOpen() {
        assertThatThrownBy(() -> new LibvirtDriver("test:///" + tempDir.resolve("missing.xml")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("cannot open libvirt connection");
    }

    @Test
    void capabilitiesFollowTheUriScheme() {
        assertThat(driver.capabilities()).containsExactlyInAnyOrder(LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK,
                LIVE_VCPU, SAVE_RESTORE);
        assertThat(LibvirtDriver.capabilitiesFor("qemu:///system")).containsExactlyInAnyOrder(
                DriverCapability.values());
        assertThat(LibvirtDriver.capabilitiesFor("qemu+ssh://root@host-2/system")).contains(LIVE_MIGRATION);
        assertThat(LibvirtDriver.capabilitiesFor("lxc:///system")).containsExactlyInAnyOrder(
                LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK);
        assertThat(LibvirtDriver.capabilitiesFor("xen:///system")).isEmpty();
    }

    @Test
    void demoHostsComeUpRunningWithTheirSizes() throws IOException {
        Map<String, List<String>> expected = Map.of(
                "demo-host-1.xml", List.of("xmpp-1", "web-1", "db-1", "mail-1"),
                "demo-host-2.xml", List.of("web-2", "db-2"),
                "demo-host-3.xml", List.of("web-3"));
        for (var host : expected.entrySet()) {
            try (LibvirtDriver demo = new LibvirtDriver(nodeUri(host.getKey()))) {
                // The chat server's host is the smallest: the demo's evening fills it (docs/demo.md).
                long memoryMiB = host.getKey().equals("demo-host-1.xml") ? 9216 : 16384;
                assertThat(demo.capacity()).isEqualTo(new HostCapacity(memoryMiB, 8));
                assertThat(demo.guests()).allMatch(GuestState::running)
                        .extracting(GuestState::name).containsExactlyInAnyOrderElementsOf(host.getValue());
            }
        }
        try (LibvirtDriver demo = new LibvirtDriver(nodeUri("demo-host-1.xml"))) {
            assertThat(demo.guest("xmpp-1")).get()
                    .extracting(GuestState::memoryMiB, GuestState::maxMemoryMiB, GuestState::vcpus, GuestState::maxVcpus)
                    .containsExactly(2048L, 8192L, 2, 8);
            assertThat(demo.guest("mail-1")).get()
                    .extracting(GuestState::memoryMiB, GuestState::maxMemoryMiB, GuestState::vcpus, GuestState::maxVcpus)
                    .containsExactly(512L, 2048L, 1, 2);
        }
    }
}
