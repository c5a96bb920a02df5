package dev.nuvola.inventory;

import static dev.nuvola.devstack.test.Tokens.asViewer;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.nuvola.events.Capability;
import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;

/** Test data and waits shared by the inventory's tests; every test uses ids of its own. */
public final class TestFleet {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private TestFleet() {
    }

    /** Millisecond precision, so that the value survives PostgreSQL and JSON unchanged. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static HostStatus status(String host, Instant observedAt, long memoryFreeMiB, HostGuest... guests) {
        return new HostStatus(host, observedAt, HostState.ACTIVE, "fd00::1", "libvirt",
                Set.of(Capability.LIVE_MEMORY_GROW), 65536, memoryFreeMiB, 16, 8, List.of(guests));
    }

    public static String eventId(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(CloudEvent.ID).value(), StandardCharsets.UTF_8);
    }

    public static void awaitStatus(String path, int status) {
        await().atMost(WAIT).until(() -> asViewer().get(path).statusCode() == status);
    }
}
