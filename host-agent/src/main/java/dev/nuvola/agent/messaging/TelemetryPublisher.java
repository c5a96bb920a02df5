package dev.nuvola.agent.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.nuvola.events.EventRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Samples and host statuses, straight to a Kafka producer: a thousand guests make a thousand records a second,
 * and the messaging channel's per-record machinery (a message, its metadata, a hand-off to the connector's
 * thread) cost more than the driver's read of them all. Fire and forget: the next sample or status supersedes
 * a lost one, so a send never waits for the broker, and never longer than a second for its metadata.
 * Commands' results, which must not be lost, still go through the channel and wait for the broker.
 */
@ApplicationScoped
public class TelemetryPublisher {
    private static final Logger LOG = Logger.getLogger(TelemetryPublisher.class);
    private static final Duration FAILURE_LOG_EVERY = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics metrics;
    private final String source;
    private final AtomicLong failed = new AtomicLong();
    private volatile long lastFailureLogNanos = System.nanoTime() - FAILURE_LOG_EVERY.toNanos();

    TelemetryPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaDefaults, MeterRegistry registry,
                       @ConfigProperty(name = "nuvola.event-source") String source) {
        Map<String, Object> props = new HashMap<>(kafkaDefaults); // broker, TLS, SASL: as the channels connect
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-producer-telemetry");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4 * 1024 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.metrics = new KafkaClientMetrics(producer);
        this.metrics.bindTo(registry);
        this.source = source;
    }

    /**
     * False when the producer refused the record at once: no metadata within a second, or its buffer full of
     * records the broker has not taken. The broker is away then, and the caller stops for this cycle rather than
     * wait a second for each of its records.
     */
    public boolean publish(String key, Record event) {
        Future<RecordMetadata> sent;
        try {
            sent = producer.send(EventRecords.create(key, event, source), (metadata, e) -> {
                if (e != null) {
                    failedOne(e);
                }
            });
        } catch (KafkaException e) {
            failedOne(e);
            return false;
        }
        // The producer reports a refusal (e.g. no metadata) as a future that has failed already, not a throw.
        if (sent.isDone()) {
            try {
                sent.get();
            } catch (ExecutionException e) {
                return false; // counted by the callback
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Sends lost while the broker is away, since the start. */
    public long failed() {
        return failed.get();
    }

    private void failedOne(Exception e) {
        long count = failed.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastFailureLogNanos >= FAILURE_LOG_EVERY.toNanos()) {
            lastFailureLogNanos = now;
            LOG.warnf("samples and statuses are not reaching Kafka (%d lost since the start): %s", count, e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        metrics.close();
        producer.close(Duration.ofSeconds(2));
    }
}
