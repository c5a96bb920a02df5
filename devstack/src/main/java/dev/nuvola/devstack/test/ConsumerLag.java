package dev.nuvola.devstack.test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the platform's consumer groups are behind, read from the broker as {@code kafka-consumer-groups
 * --describe} reads it: each group's committed offsets against the partitions' last stable offsets.
 * <p>
 * The agents publish samples every second, so a group is never "at the end" for long. Caught up means: the group
 * has committed past everything the topics held at one moment (a snapshot of their ends taken first).
 */
public final class ConsumerLag implements AutoCloseable {
    private final Admin admin;

    public ConsumerLag(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
    }

    /** Every consumer group the broker knows, live or not. */
    public List<String> groups() {
        return get(admin.listConsumerGroups().all()).stream().map(g -> g.groupId()).sorted().toList();
    }

    /** The last stable offset of every partition of the topics (read_committed: what a consumer can reach). */
    public Map<TopicPartition, Long> ends(Collection<String> topics) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        get(admin.describeTopics(topics).allTopicNames()).forEach((topic, description) -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        return get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()).entrySet()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The group's committed offsets; a partition it never committed on counts as offset 0. */
    public Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                committed.put(tp, o.offset());
            }
        });
        return committed;
    }

    /** Records the group has still to commit, per topic, of those in {@code ends}. */
    public Map<String, Long> behind(String group, Collection<String> topics, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> committed = committed(group);
        Map<String, Long> behind = new TreeMap<>();
        ends.forEach((tp, end) -> {
            if (topics.contains(tp.topic())) {
                behind.merge(tp.topic(), Math.max(0, end - committed.getOrDefault(tp, 0L)), Long::sum);
            }
        });
        return behind;
    }

    /** Total of {@link #behind} over every group in {@code topicsOf} (group → the topics it reads). */
    public Map<String, Long> behind(Map<String, List<String>> topicsOf, Map<TopicPartition, Long> ends) {
        return topicsOf.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> behind(e.getKey(), e.getValue(), ends).values().stream().mapToLong(Long::longValue).sum(),
                Long::sum, TreeMap::new));
    }

    /**
     * Waits until every group in {@code topicsOf} has committed past the ends its topics have now; returns how
     * long that took, or throws with what is still behind.
     */
    public Duration awaitCaughtUp(Map<String, List<String>> topicsOf, Duration timeout) {
        long t0 = System.nanoTime();
        Map<TopicPartition, Long> ends = ends(topicsOf.values().stream().flatMap(List::stream).distinct().toList());
        Map<String, Long> behind = behind(topicsOf, ends);
        while (behind.values().stream().anyMatch(n -> n > 0)) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new AssertionError("consumer groups still behind after " + timeout.toSeconds() + " s: " + behind);
            }
            sleep(250);
            behind = behind(topicsOf, ends);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static <T> T get(KafkaFuture<T> future) {
        return Futures.await(future, "admin call failed");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
