package dev.nuvola.scaler.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.nuvola.events.Topics;
import dev.nuvola.scaler.config.ScalerConfig;
import dev.nuvola.scaler.service.ScalingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The metrics stream, thousands of samples a second, read by one plain Kafka consumer on a thread of its own.
 * Through the messaging connector every sample became a message with metadata, crossed from the polling thread
 * to the event loop and on to a worker: that was most of the cost, 40,000 samples a second where the same code
 * called in a loop does 200,000. Here a poll's records go through three threads, one step each: this one polls
 * (Kafka parses the records), "scaler-decoding" decodes them ({@link ScalerConsumers#decode}, bad ones to the
 * .dlq), "scaler-deciding" decides them in order ({@link ScalerConsumers#apply}). On one thread, reading a
 * backlog, the three steps took 2.7, 4.0 and 3.0 µs a sample, one after the other, while the second core was
 * three quarters idle. Their offsets are committed after they are decided, once per commit interval and whenever
 * a poll finds nothing new (at least once: a sample seen twice is a no-op for the recommender, which ignores
 * samples not newer than its last).
 * <p>
 * Samples and resize results share the consumer: both are keyed by guest id over the same partition count, so
 * a guest's samples and results reach the same instance, and one thread decides them all, in their partition's
 * order. When partitions move, this instance lets the deciding thread finish what it was given, commits what it
 * decided and forgets their guests; the new owner rebuilds them from new samples. A record that cannot be
 * handled (not a bad record: those go to the .dlq) stops the loop uncommitted, and readiness goes down.
 */
@ApplicationScoped
public class ScalingInputs {
    private static final Logger LOG = Logger.getLogger(ScalingInputs.class);

    /** The consumer's client id; its Kafka client metrics (lag, fetch rate) carry it as client_id. */
    public static final String CLIENT_ID = "kafka-consumer-scaling-inputs";
    private static final int AGE_STRIDE = 8;

    private final ScalerConsumers consumers;
    private final MeterRegistry registry;
    private KafkaClientMetrics metrics;
    private final Timer sampleAge;
    private int sinceTimed;
    private final ScalingService scaling;
    private final ScalerConfig.Inputs config;
    private final Map<String, Object> kafkaDefaults;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private volatile boolean polling;
    private Thread thread;

    ScalingInputs(ScalerConsumers consumers, ScalingService scaling, ScalerConfig config, MeterRegistry registry,
                  @Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults) {
        this.consumers = consumers;
        this.registry = registry;
        this.scaling = scaling;
        this.config = config.inputs();
        this.kafkaDefaults = kafkaDefaults;
        // How stale a sample is when the scaler has it: from its record's timestamp (the agent's send) to the end of
        // the poll that returned it. The scaler's whole reaction is this plus the decision, so an operator (and the
        // end-to-end benchmark) can tell a slow read from a slow decision. One sample in AGE_STRIDE is timed: timing
        // every one was 15 of this thread's 141 profile samples (JFR, reading a backlog of 1.5 million), and 600 ages
        // a second at 5,000 samples a second are plenty for its percentiles.
        this.sampleAge = Timer.builder("nuvola.scaler.sample.age")
                .description("record timestamp of a sample -> returned by the scaler's poll")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        Properties props = new Properties();
        // The kafka.* settings every channel gets (broker, TLS, SASL: service-kit's KafkaSecurity), so this client
        // connects as the channels do.
        props.putAll(kafkaDefaults);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // Named as the messaging connector names its consumers, so dashboards query it the same way.
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        props.putAll(config.kafka());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        running = true;
        thread = new Thread(this::run, "scaler-inputs");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Why the loop stopped, if it did; null while it runs. */
    public String failure() {
        return failure.get();
    }

    /** Joined the group and polling. */
    public boolean polling() {
        return polling && failure.get() == null;
    }

    private void run() {
        // Offsets of the records decided; written by the deciding thread, committed from this one.
        Map<TopicPartition, OffsetAndMetadata> handled = new ConcurrentHashMap<>();
        BatchWorker<ScalerConsumers.Decoded> deciding = new BatchWorker<>("scaler-deciding", config.batchesAhead(),
                decoded -> {
                    consumers.apply(decoded);
                    for (TopicPartition partition : decoded.records().partitions()) {
                        List<ConsumerRecord<String, byte[]>> of = decoded.records().records(partition);
                        handled.put(partition, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
                    }
                });
        BatchWorker<ConsumerRecords<String, byte[]>> decoding = new BatchWorker<>("scaler-decoding", config.batchesAhead(),
                records -> {
                    try {
                        deciding.submit(consumers.decode(records));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while handing a batch to the deciding thread");
                    }
                });
        Pipeline pipeline = new Pipeline(decoding, deciding);
        try {
            consumer.subscribe(List.of(Topics.GUEST_METRICS, Topics.RESIZE_RESULTS), new Ownership(handled, pipeline));
            long commitInterval = config.commitInterval().toNanos();
            long committedAt = System.nanoTime() - commitInterval;
            long committedBatches = 0;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                polling = true;
                if (!records.isEmpty()) {
                    long polledAt = System.currentTimeMillis();
                    for (ConsumerRecord<String, byte[]> record : records.records(Topics.GUEST_METRICS)) {
                        if (++sinceTimed == AGE_STRIDE) {
                            sinceTimed = 0;
                            sampleAge.record(Math.max(0, polledAt - record.timestamp()), TimeUnit.MILLISECONDS);
                        }
                    }
                    decoding.submit(records);
                } else {
                    // Nothing new: what was handed over is all there is to commit.
                    pipeline.awaitIdle();
                }
                // Once an interval while records keep coming, and as soon as a poll finds nothing new. The count is
                // read before the offsets, so the offsets cover at least the batches counted.
                long finished = deciding.finished();
                if (finished > committedBatches
                        && (records.isEmpty() || System.nanoTime() - committedAt >= commitInterval)) {
                    commit(handled);
                    committedAt = System.nanoTime();
                    committedBatches = finished;
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stop() asked for it
        } catch (RuntimeException e) {
            failure.set(e.toString());
            LOG.errorf(e, "the scaler's input loop stopped without committing the batch it was handling");
        } finally {
            try {
                if (failure.get() == null) {
                    pipeline.awaitIdle();
                    if (!handled.isEmpty()) {
                        commitFinally(handled);
                    }
                }
            } catch (RuntimeException | InterruptedException e) {
                LOG.warnf("final commit failed: %s", e.toString());
            }
            try {
                decoding.close();
                deciding.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (metrics != null) {
                metrics.close();
            }
            consumer.close(Duration.ofSeconds(5));
            polling = false;
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> handled) {
        consumer.commitAsync(Map.copyOf(handled), (offsets, e) -> {
            if (e != null) {
                LOG.warnf("committing %s failed (the next commit covers them): %s", offsets.keySet(), e.toString());
            }
        });
    }

    /**
     * The last commit, at shutdown. When stop() woke the consumer while a batch was being handled rather than in
     * poll(), the wake-up is still pending and the first commit throws it: the second one goes through, so the
     * next owner does not read the last batch again.
     */
    private void commitFinally(Map<TopicPartition, OffsetAndMetadata> handled) {
        try {
            consumer.commitSync(handled);
        } catch (WakeupException pending) {
            consumer.commitSync(handled);
        }
    }

    /**
     * Commits what was handled before partitions move away, then forgets their guests. Called within poll(), on the
     * polling thread: the other two first finish what they were given, so no guest is decided after it is forgotten.
     */
    private final class Ownership implements ConsumerRebalanceListener {
        private final Map<TopicPartition, OffsetAndMetadata> handled;
        private final Pipeline pipeline;

        Ownership(Map<TopicPartition, OffsetAndMetadata> handled, Pipeline pipeline) {
            this.handled = handled;
            this.pipeline = pipeline;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            awaitWorker();
            Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = handled.remove(partition);
                if (offset != null) {
                    mine.put(partition, offset);
                }
            }
            if (!mine.isEmpty()) {
                consumer.commitSync(mine);
            }
            scaling.revoked(partitions.stream().map(TopicPartition::partition).distinct().toList());
            LOG.infof("partitions revoked: %s; guests now owned: %d", partitions, scaling.ownedGuests().size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.infof("partitions assigned: %s", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            awaitWorker();
            partitions.forEach(handled::remove);
            scaling.revoked(partitions.stream().map(TopicPartition::partition).distinct().toList());
        }

        private void awaitWorker() {
            try {
                pipeline.awaitIdle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }

    /** The two threads a poll's records go through: decoding hands each batch on to deciding. */
    private record Pipeline(BatchWorker<?> decoding, BatchWorker<?> deciding) {
        /** Every batch handed over is decided (or one failed, and this throws why). */
        void awaitIdle() throws InterruptedException {
            decoding.awaitIdle();
            deciding.awaitIdle();
        }
    }
}
