package dev.nuvola.migration.saga;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;

/** Hosts published on the real broker, returned once the service's fleet view has them. */
public final class PlacementFixtures {
    private PlacementFixtures() {
    }

    public static void publishHost(String hostId, HostState state, long freeMiB, Set<Capability> caps,
                                   HostGuest... guests) {
        TestKafka.shared().send(hostId, new HostStatus(hostId, Instant.now(), state, "::1", "libvirt", caps, 65536,
                freeMiB, 64, 32, List.of(guests)));
        await().atMost(MigrationSagaKafkaTest.WAIT).until(() -> asViewer().queryParam("memoryMiB", 1)
                .queryParam("vcpus", 1).get("/api/v1/placement").then().statusCode(200).extract().jsonPath()
                .getList("candidates.hostId").contains(hostId));
    }
}
