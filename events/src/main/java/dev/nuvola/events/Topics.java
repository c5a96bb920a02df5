package dev.nuvola.events;

import java.util.List;
import java.util.Set;

/** The platform's topics, as in SPEC.md. Each record is keyed by the aggregate it is about. */
public final class Topics {
    /** Key: guest id. Agent (or any exporter) to scaler and inventory. */
    public static final String GUEST_METRICS = "nuvola.guest-metrics";
    /** Key: host id. Compacted: the latest status of every host. */
    public static final String HOST_STATUS = "nuvola.host-status";
    /** Key: guest id. Compacted: the latest policy of every guest. */
    public static final String GUEST_POLICIES = "nuvola.guest-policies";
    /** Key: host id, so that one agent's commands stay in order on one partition. */
    public static final String RESIZE_COMMANDS = "nuvola.resize-commands";
    /** Key: guest id. */
    public static final String RESIZE_RESULTS = "nuvola.resize-results";
    /** Key: guest id. */
    public static final String MIGRATION_REQUESTS = "nuvola.migration-requests";
    /** Key: host id (the agent that executes the step). */
    public static final String MIGRATION_COMMANDS = "nuvola.migration-commands";
    /** Key: migration id. */
    public static final String MIGRATION_EVENTS = "nuvola.migration-events";

    public static final List<String> ALL = List.of(GUEST_METRICS, HOST_STATUS, GUEST_POLICIES,
            RESIZE_COMMANDS, RESIZE_RESULTS, MIGRATION_REQUESTS, MIGRATION_COMMANDS, MIGRATION_EVENTS);

    /** State topics: only the latest record per key matters, so Kafka compacts them. */
    public static final Set<String> COMPACTED = Set.of(HOST_STATUS, GUEST_POLICIES);

    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /** Where a consumer of {@code topic} puts the records it cannot process. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
