package dev.nuvola.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event of the contract: its CloudEvents type name, its topic and its record. */
public enum EventType {
    GUEST_METRICS("dev.nuvola.guest.metrics.v1", Topics.GUEST_METRICS, GuestMetrics.class),
    HOST_STATUS("dev.nuvola.host.status.v1", Topics.HOST_STATUS, HostStatus.class),
    GUEST_POLICY("dev.nuvola.guest.policy.v1", Topics.GUEST_POLICIES, GuestPolicy.class),
    RESIZE_COMMAND("dev.nuvola.resize.command.v1", Topics.RESIZE_COMMANDS, ResizeCommand.class),
    RESIZE_RESULT("dev.nuvola.resize.result.v1", Topics.RESIZE_RESULTS, ResizeResult.class),
    MIGRATION_REQUEST("dev.nuvola.migration.request.v1", Topics.MIGRATION_REQUESTS, MigrationRequest.class),
    MIGRATION_COMMAND("dev.nuvola.migration.command.v1", Topics.MIGRATION_COMMANDS, MigrationCommand.class),
    MIGRATION_EVENT("dev.nuvola.migration.event.v1", Topics.MIGRATION_EVENTS, MigrationEvent.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::ceType, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::recordClass, Function.identity()));

    private final String ceType;
    private final byte[] ceTypeBytes;
    private final String topic;
    private final Class<? extends Record> recordClass;

    EventType(String ceType, String topic, Class<? extends Record> recordClass) {
        this.ceType = ceType;
        this.ceTypeBytes = ceType.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.topic = topic;
        this.recordClass = recordClass;
    }

    public String ceType() {
        return ceType;
    }

    /** The {@code ce_type} header's value, as it is on the wire (not to be changed). */
    byte[] ceTypeBytes() {
        return ceTypeBytes;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends Record> recordClass() {
        return recordClass;
    }

    /** The event type named by a {@code ce_type} header, or an error naming that header. */
    public static EventType ofCeType(String ceType) {
        EventType type = BY_TYPE.get(ceType);
        if (type == null) {
            throw new InvalidEventException(CloudEvent.TYPE, "unknown event type '" + ceType + "'");
        }
        return type;
    }

    /** The aggregate id a record of this type is keyed by. */
    public String keyOf(Record event) {
        return switch (this) {
            case GUEST_METRICS -> ((GuestMetrics) event).guestId();
            case HOST_STATUS -> ((HostStatus) event).hostId();
            case GUEST_POLICY -> ((GuestPolicy) event).guestId();
            case RESIZE_COMMAND -> ((ResizeCommand) event).hostId();
            case RESIZE_RESULT -> ((ResizeResult) event).guestId();
            case MIGRATION_REQUEST -> ((MigrationRequest) event).guestId();
            case MIGRATION_COMMAND -> ((MigrationCommand) event).hostId();
            case MIGRATION_EVENT -> ((MigrationEvent) event).migrationId();
        };
    }

    public static EventType of(Class<?> recordClass) {
        EventType type = BY_CLASS.get(recordClass);
        if (type == null) {
            throw new IllegalArgumentException(recordClass.getName() + " is not an event of the contract");
        }
        return type;
    }
}
