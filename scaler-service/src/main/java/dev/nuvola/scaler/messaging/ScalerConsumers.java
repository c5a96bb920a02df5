package dev.nuvola.scaler.messaging;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import dev.nuvola.kit.messaging.DeadLetters;
import dev.nuvola.scaler.service.FleetTables;
import dev.nuvola.scaler.service.ScalingService;

/**
 * Kafka in. Samples and results arrive together, in batches, from one consumer of both topics
 * ({@link ScalingInputs}): both are keyed by guest id over the same number of partitions, so a guest's samples
 * and results reach the same instance. A record that does not decode goes to its topic's .dlq with the reason; the rest go on. One
 * that cannot be handled now throws, which stops the channel without committing it.
 */
@Singleton // not @ApplicationScoped: see ScalingService
public class ScalerConsumers {
    private final ScalingService scaling;
    private final FleetTables tables;
    private final DeadLetters deadLetters;

    ScalerConsumers(ScalingService scaling, FleetTables tables, DeadLetters deadLetters) {
        this.scaling = scaling;
        this.tables = tables;
        this.deadLetters = deadLetters;
    }

    /**
     * A poll's events, decoded, in the poll's order: each a {@link GuestMetrics} (with its record's partition) or a
     * {@link ResizeResult}. The records that did not decode are in the .dlq and not here.
     */
    public static final class Decoded {
        final ConsumerRecords<String, byte[]> records;
        final Record[] events;
        final int[] partitions;
        int size;

        Decoded(ConsumerRecords<String, byte[]> records) {
            this.records = records;
            this.events = new Record[records.count()];
            this.partitions = new int[records.count()];
        }

        /** The records decoded, for their offsets. */
        public ConsumerRecords<String, byte[]> records() {
            return records;
        }
    }

    /**
     * First step for a poll's records, on {@link ScalingInputs}' decoding thread: decodes them and sends the bad ones
     * to the .dlq. Touches no state, so it runs beside {@link #apply} deciding the poll before.
     */
    public Decoded decode(ConsumerRecords<String, byte[]> records) {
        Decoded decoded = new Decoded(records);
        // Partition by partition, as the records' own iterator goes: the topic is compared once a partition.
        for (TopicPartition partition : records.partitions()) {
            Class<? extends Record> type = partition.topic().equals(Topics.GUEST_METRICS) ? GuestMetrics.class
                    : ResizeResult.class;
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                Optional<? extends Record> event = deadLetters.readPayload(record, type);
                if (event.isPresent()) {
                    decoded.events[decoded.size] = event.get();
                    decoded.partitions[decoded.size++] = partition.partition();
                }
            }
        }
        return decoded;
    }

    /** Second step, on {@link ScalingInputs}' deciding thread, one poll after another: each event in order. */
    public void apply(Decoded decoded) {
        for (int i = 0; i < decoded.size; i++) {
            if (decoded.events[i] instanceof GuestMetrics sample) {
                scaling.onSample(sample, decoded.partitions[i]);
            } else {
                scaling.onResult((ResizeResult) decoded.events[i]);
            }
        }
    }

    @Incoming("guest-policies")
    public void onPolicy(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null && record.key() != null) {
            tables.removePolicy(record.key());
            return;
        }
        deadLetters.read(record, GuestPolicy.class).ifPresent(e -> tables.put(e.payload()));
    }

    @Incoming("host-status")
    public void onHostStatus(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, HostStatus.class).ifPresent(e -> tables.put(e.payload()));
    }

    @Incoming("migration-events")
    public void onMigrationEvent(ConsumerRecord<String, byte[]> record) {
        deadLetters.read(record, MigrationEvent.class).ifPresent(e -> scaling.onMigrationEvent(e.payload()));
    }
}
