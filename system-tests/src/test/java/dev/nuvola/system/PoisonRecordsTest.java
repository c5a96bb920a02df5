package dev.nuvola.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.Platform;
import dev.nuvola.devstack.test.Futures;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.Capability;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostState;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;
import dev.nuvola.system.DeadLetterWatch.Copy;
import dev.nuvola.system.PoisonRecords.Kind;
import dev.nuvola.system.PoisonRecords.Poison;

/**
 * Poison records on every consumed topic of every service, mixed into good traffic, against the packaged
 * platform and its real broker. Every bad record must land in its topic's .dlq exactly once per service that
 * reads it, with the reason and where it was read; every good record must take its effect; and every consumer
 * must still be consuming at the end.
 * <p>
 * "Every consumer has read this far" is proved with barriers: a bad record sent explicitly to every partition of
 * every topic (under each agent's host id where agents read only their own key). A consumer handles a partition
 * in order, so once it has dead-lettered the barrier of each partition it has handled everything sent before.
 */
class PoisonRecordsTest {
    private static final String SCALER = "/nuvola/scaler-service";
    private static final String INVENTORY = "/nuvola/inventory-service";
    private static final String MIGRATION = "/nuvola/migration-service";
    private static final String SOURCE = "/nuvola/system-test";
    private static final int AGENTS = 2;
    /** Hosts only on Kafka, each with one guest: their effects are visible in every service's state. */
    private static final int SYNTHETIC = 20;
    private static final int POISON_PER_TOPIC = 140;
    private static final int PARTITIONS = 6;

    static FleetClient fleet;
    static KafkaProducer<String, byte[]> producer;
    static TestKafka kafka;

    private final Map<Copy, ProducerRecord<String, byte[]>> poisoned = new LinkedHashMap<>();
    private final Map<Kind, Integer> triedByKind = new EnumMap<>(Kind.class);
    private final Map<String, Integer> triedByTopic = new TreeMap<>();
    private final Map<String, Integer> goodByTopic = new TreeMap<>();

    @BeforeAll
    static void startPlatform() throws IOException {
        Path work = AgentUnderTest.freshWorkDir("poison-records");
        Map<Integer, Path> nodes = new HashMap<>();
        nodes.put(1, work.resolve("host-1.xml"));
        nodes.put(2, work.resolve("host-2.xml"));
        Files.writeString(nodes.get(1), NodeFile.xml(8192, 8, List.of(new NodeFile.Domain("g1-a", 1024, 4096, 1, 2),
                new NodeFile.Domain("g1-b", 1024, 4096, 1, 2))));
        Files.writeString(nodes.get(2), NodeFile.xml(8192, 8, List.of(new NodeFile.Domain("g2-a", 1024, 4096, 1, 2),
                new NodeFile.Domain("g2-b", 1024, 4096, 1, 2))));
        fleet = FleetClient.start(work, AGENTS, nodes::get);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.platform().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        kafka = new TestKafka(fleet.platform().bootstrapServers());
    }

    @AfterAll
    static void stopPlatform() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void everyBadRecordIsDeadLetteredOncePerReaderAndEveryGoodOneTakesEffect() {
        fleet.awaitInventoryKnows(List.of("g1-a", "g1-b", "g2-a", "g2-b"));
        // migration-service plans from the hosts' statuses: both agents must have published theirs.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> placementHosts()
                .containsAll(List.of("host-1", "host-2")));
        Map<String, List<Poison>> poison = poisonByTopic();

        try (DeadLetterWatch dlq = new DeadLetterWatch(fleet.platform().bootstrapServers())) {
            long t0 = System.nanoTime();
            // Phase 1: the synthetic hosts and their guests' policies, resize commands to both agents and one
            // real migration, each topic's good records among a half of its bad ones.
            List<ProducerRecord<String, byte[]>> good1 = new ArrayList<>();
            for (int i = 1; i <= SYNTHETIC; i++) {
                good1.add(event("ph-" + i, syntheticHost(i, 1000 + i)));
                good1.add(event("pg-" + i, policy("pg-" + i, minMemory(i), 65536, true)));
            }
            List<String> commands = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                commands.add(resize(good1, 1, i % 2 == 0 ? "g1-a" : "g1-b", 1024 + 128L * (i % 8)));
                commands.add(resize(good1, 2, "g2-a", 1024 + 128L * (i % 8)));
            }
            String requestId = "poison-move-g2-b";
            good1.add(event("g2-b", new MigrationRequest(requestId, "g2-b", "host-2", "poison test",
                    "system-test", new GuestSize(1024, 1), "host-1", Instant.now())));
            flood(poison, 0, POISON_PER_TOPIC / 2, good1);
            barrier(dlq, "phase 1");
            long phase1Ms = ms(t0);

            // Phase 2: one sample per synthetic guest, newer statuses of the synthetic hosts, more commands.
            List<ProducerRecord<String, byte[]>> good2 = new ArrayList<>();
            for (int i = 1; i <= SYNTHETIC; i++) {
                good2.add(event("pg-" + i, sample("pg-" + i, "ph-" + i)));
                good2.add(event("ph-" + i, syntheticHost(i, 2000 + i)));
            }
            for (int i = 0; i < 10; i++) {
                commands.add(resize(good2, 1, i % 2 == 0 ? "g1-a" : "g1-b", 1536 + 128L * (i % 4)));
                commands.add(resize(good2, 2, "g2-a", 1536 + 128L * (i % 4)));
            }
            flood(poison, POISON_PER_TOPIC / 2, POISON_PER_TOPIC, good2);
            barrier(dlq, "phase 2");
            long phase2Ms = ms(t0);

            // Every good record of phases 1 and 2 took its effect.
            for (int i = 1; i <= SYNTHETIC; i++) {
                int n = i;
                JsonNode host = fleet.get(fleet.inventory("/api/v1/hosts/ph-" + n));
                assertThat(host.get("memoryFreeMiB").asLong()).as("inventory has ph-%d's newer status", n)
                        .isEqualTo(2000 + n);
                JsonNode guest = fleet.get(fleet.inventory("/api/v1/guests/pg-" + n));
                assertThat(guest.get("memoryUsedMiB").asLong()).as("inventory has pg-%d's sample", n).isEqualTo(100);
                JsonNode recommendation = fleet.get(fleet.scaler("/api/v1/guests/pg-" + n + "/recommendation"));
                assertThat(recommendation.at("/recommendation/targetMemoryMiB").asLong())
                        .as("the scaler sized pg-%d from its sample, its host's listing and its policy's minimum", n)
                        .isEqualTo(minMemory(n));
            }
            assertThat(placementHosts()).as("migration-service places on every synthetic host")
                    .containsAll(synthetic("ph-"));
            Map<String, ResizeResult> results = awaitResults(commands);
            Map<String, Long> outcomes = results.values().stream()
                    .collect(Collectors.groupingBy(r -> r.outcome().name(), TreeMap::new, Collectors.counting()));
            JsonNode move = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> fleet.migrationsOf("g2-b"), l -> !l.isEmpty()
                            && Set.of("COMPLETED", "ROLLED_BACK", "REFUSED").contains(l.get(0).get("state").asText()))
                    .get(0);
            assertThat(move.get("state").asText()).as(move.toString()).isEqualTo("COMPLETED");
            assertThat(fleet.runningOn("g2-b", AGENTS)).containsExactly(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> history("g2-b").stream()
                    .anyMatch(h -> h.get("kind").asText().equals("MIGRATION") && h.get("outcome").asText().equals("COMPLETED")));
            await().atMost(Duration.ofSeconds(20)).until(() -> commands.stream().allMatch(c -> recorded(results.get(c))));

            // Phase 3, last of all: good records whose effects show that every reader still reads.
            long t3 = System.nanoTime();
            List<ProducerRecord<String, byte[]>> good3 = new ArrayList<>();
            good3.add(event("g1-a", policy("g1-a", 512, 2048, true)));
            good3.add(event("g2-a", policy("g2-a", 512, 2048, false)));
            good3.add(event("ph-last", new HostStatus("ph-last", Instant.now(), HostState.ACTIVE, "::1", "libvirt-test",
                    Set.of(Capability.LIVE_MEMORY_GROW), 65536, 3000, 16, 8,
                    List.of(new HostGuest("pg-last", 4096, 65536, 1, 4)))));
            good3.add(event("pg-last", policy("pg-last", 3072, 65536, true)));
            good3.forEach(this::sendGood);
            barrier(dlq, "phase 3 policies and status");
            List<ProducerRecord<String, byte[]>> last = new ArrayList<>();
            String over1 = resize(last, 1, "g1-a", 3072);
            String over2 = resize(last, 2, "g2-a", 3072);
            last.add(event("g2-a", new MigrationRequest("poison-last", "g2-a", "host-2", "poison test",
                    "system-test", new GuestSize(1024, 1), "host-1", Instant.now())));
            last.add(event("pg-last", sample("pg-last", "ph-last")));
            last.forEach(this::sendGood);
            Map<String, ResizeResult> lastResults = awaitResults(List.of(over1, over2));
            assertThat(lastResults.values()).as("each agent applied the policy it read last")
                    .allSatisfy(r -> assertThat(r.reasonCode()).isEqualTo("ABOVE_POLICY_MAX"));
            JsonNode refused = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fleet.migrationsOf("g2-a"), l -> !l.isEmpty()
                            && !l.get(0).get("state").asText().equals("REQUESTED")).get(0);
            assertThat(refused.get("state").asText()).as(refused.toString()).isEqualTo("REFUSED");
            assertThat(refused.toString()).contains("not migratable");
            await().atMost(Duration.ofSeconds(20)).until(() -> fleet.status(
                    fleet.scaler("/api/v1/guests/pg-last/recommendation")) == 200);
            assertThat(fleet.get(fleet.scaler("/api/v1/guests/pg-last/recommendation"))
                    .at("/recommendation/targetMemoryMiB").asLong()).isEqualTo(3072);
            await().atMost(Duration.ofSeconds(20)).until(() -> fleet.get(fleet.inventory("/api/v1/guests/pg-last"))
                    .get("memoryUsedMiB").asLong() == 100);
            assertThat(placementHosts()).contains("ph-last");
            await().atMost(Duration.ofSeconds(20)).until(() -> recorded(lastResults.get(over1))
                    && recorded(lastResults.get(over2)));
            barrier(dlq, "the end");
            long totalMs = ms(t0);

            // Exactly one copy per (record, reader), with the reason, the origin, the key and the value.
            Map<Copy, List<ConsumerRecord<String, byte[]>>> copies = dlq.poll().copies();
            assertThat(dlq.withoutOrigin()).as("dead letters without their origin or reader").isEmpty();
            assertThat(copies.keySet()).as("dead letters of records that were not bad, or by the wrong reader")
                    .isSubsetOf(poisoned.keySet());
            assertThat(poisoned.keySet()).as("bad records some reader did not dead-letter").isSubsetOf(copies.keySet());
            copies.forEach((copy, records) -> {
                assertThat(records).as("copies of %s", copy).hasSize(1);
                ConsumerRecord<String, byte[]> dead = records.get(0);
                ProducerRecord<String, byte[]> sent = poisoned.get(copy);
                assertThat(dead.topic()).isEqualTo(Topics.dlq(copy.topic()));
                assertThat(dead.key()).isEqualTo(sent.key());
                assertThat(DeadLetterWatch.header(dead, "dead-letter-reason")).as("reason of %s", copy).isNotBlank();
                if (sent.value().length > PoisonRecords.MAX_REQUEST / 4) {
                    assertThat(DeadLetterWatch.header(dead, "dead-letter-value-bytes"))
                            .isEqualTo(Integer.toString(sent.value().length));
                    assertThat(dead.value()).isEqualTo(Arrays.copyOf(sent.value(), dead.value().length));
                } else {
                    assertThat(dead.value()).isEqualTo(sent.value());
                }
                if (sent.headers().lastHeader("x-padding") != null) {
                    assertThat(dead.headers().lastHeader("x-padding")).isNull();
                    assertThat(DeadLetterWatch.header(dead, "dead-letter-dropped-headers")).startsWith("1 headers, ");
                }
            });

            Map<String, Long> byReader = copies.keySet().stream()
                    .collect(Collectors.groupingBy(Copy::consumer, TreeMap::new, Collectors.counting()));
            int tried = triedByTopic.values().stream().mapToInt(Integer::intValue).sum();
            int good = goodByTopic.values().stream().mapToInt(Integer::intValue).sum();
            lastResults.values().forEach(r -> outcomes.merge(r.outcome().name(), 1L, Long::sum));
            System.out.printf("[poison] %d bad records sent (by kind %s; by topic %s)%n", tried, triedByKind,
                    triedByTopic);
            System.out.printf("[poison] %d dead letters, each bad record exactly once per reader (by reader %s)%n",
                    copies.size(), byReader);
            System.out.printf("[poison] %d good records sent among them (by topic %s; %d of them last), each taken"
                    + " effect: %d resize results %s, 1 migration COMPLETED, 1 REFUSED by policy, %d synthetic hosts"
                    + " and guests in inventory, scaler and placement%n", good, goodByTopic, good3.size() + last.size(),
                    results.size() + lastResults.size(), outcomes, SYNTHETIC + 1);
            System.out.printf("[poison] phase 1 all read after %d ms, phase 2 after %d ms, last records %d ms,"
                    + " whole run %d ms%n", phase1Ms, phase2Ms, ms(t3), totalMs);
            assertThat(tried).isGreaterThanOrEqualTo(1000);
        }
    }

    /** Each topic's bad records from several templates, so that every topic has {@value #POISON_PER_TOPIC}. */
    private static Map<String, List<Poison>> poisonByTopic() {
        Map<String, Function<Integer, Record>> templates = new LinkedHashMap<>();
        Instant now = Instant.now();
        templates.put(Topics.GUEST_METRICS, n -> new GuestMetrics("bad-g-" + n, "ph-1", now, 2048, 1000, 1048, 2, 0.5,
                512L, 0.1));
        templates.put(Topics.HOST_STATUS, n -> new HostStatus(hostKey(n, true), now, HostState.ACTIVE, "::1",
                "libvirt-test", Set.of(Capability.LIVE_VCPU), 8192, 4096, 8, 4,
                List.of(new HostGuest("bad-hg", 1024, 4096, 1, 2))));
        templates.put(Topics.GUEST_POLICIES, n -> new GuestPolicy("bad-p-" + n, 512, 4096, 1, 4, 0.75, 0.7, 5, true,
                false, "group", now));
        templates.put(Topics.RESIZE_COMMANDS, n -> new ResizeCommand("bad-c-" + n, "g-none", hostKey(n, false), 2048L,
                2, "poison", "system-test", now, now.plusSeconds(60), null));
        templates.put(Topics.RESIZE_RESULTS, n -> new ResizeResult("bad-r-" + n, "bad-rg-" + n, "host-1",
                ResizeOutcome.APPLIED, null, "poison", new GuestSize(1024, 1), new GuestSize(2048, 1), now));
        templates.put(Topics.MIGRATION_REQUESTS, n -> new MigrationRequest("bad-q-" + n, "bad-qg-" + n, "host-1",
                "poison", "system-test", new GuestSize(1024, 1), "host-2", now));
        templates.put(Topics.MIGRATION_COMMANDS, n -> new MigrationCommand("bad-mc-" + n, "bad-m-" + n,
                MigrationStep.PREPARE_TARGET, hostKey(n, false), "bad-mg", "host-1", "host-2", MigrationMethod.LIVE,
                new GuestSize(1024, 1), now, now.plusSeconds(60)));
        templates.put(Topics.MIGRATION_EVENTS, n -> new MigrationEvent("bad-m-" + n, "bad-mg", MigrationEvent.Kind.STEP_FAILED,
                MigrationStep.TRANSFER, "bad-mc-" + n, MigrationState.TRANSFERRING, "host-1", "host-1", "host-2",
                "poison", now));
        Map<String, List<Poison>> byTopic = new LinkedHashMap<>();
        templates.forEach((topic, template) -> {
            List<Poison> all = new ArrayList<>();
            for (int n = 0; all.size() < POISON_PER_TOPIC; n++) {
                Record valid = template.apply(n);
                all.addAll(PoisonRecords.of(valid, dev.nuvola.events.EventType.of(valid.getClass()).keyOf(valid),
                        1));
            }
            byTopic.put(topic, List.copyOf(all.subList(0, POISON_PER_TOPIC)));
        });
        return byTopic;
    }

    /** host-1, host-2, and on topics every service reads, a host no agent runs. */
    private static String hostKey(int n, boolean others) {
        int of = others ? AGENTS + 1 : AGENTS;
        return n % of < AGENTS ? Platform.hostId(n % of + 1) : "bad-h-" + n;
    }

    /** The services that read {@code topic} and dead-letter its bad records under {@code key}. */
    private static List<String> readers(String topic, String key) {
        boolean noKey = key == null || key.isBlank();
        List<String> agentsOfKey = new ArrayList<>();
        for (int i = 1; i <= AGENTS; i++) {
            if (Platform.hostId(i).equals(key)) {
                agentsOfKey.add("/nuvola/host-agent/" + Platform.hostId(i));
            }
        }
        List<String> allAgents = new ArrayList<>();
        for (int i = 1; i <= AGENTS; i++) {
            allAgents.add("/nuvola/host-agent/" + Platform.hostId(i));
        }
        List<String> readers = new ArrayList<>();
        switch (topic) {
            case Topics.GUEST_METRICS, Topics.RESIZE_RESULTS -> readers.addAll(List.of(SCALER, INVENTORY));
            case Topics.HOST_STATUS -> {
                readers.addAll(List.of(SCALER, INVENTORY, MIGRATION));
                readers.addAll(agentsOfKey);
            }
            case Topics.GUEST_POLICIES -> {
                readers.addAll(List.of(SCALER, MIGRATION));
                readers.addAll(allAgents);
            }
            // A command keyed with no host is every agent's to dead-letter.
            case Topics.RESIZE_COMMANDS, Topics.MIGRATION_COMMANDS -> readers.addAll(noKey ? allAgents : agentsOfKey);
            case Topics.MIGRATION_REQUESTS -> readers.add(MIGRATION);
            case Topics.MIGRATION_EVENTS -> readers.addAll(List.of(SCALER, INVENTORY, MIGRATION));
            default -> throw new IllegalArgumentException(topic);
        }
        return readers;
    }

    /** Sends bad records [from, to) of every topic, round robin over the topics, with the good ones among them. */
    private void flood(Map<String, List<Poison>> poison, int from, int to, List<ProducerRecord<String, byte[]>> good) {
        List<Object> order = new ArrayList<>();
        int bad = (to - from) * poison.size();
        int every = Math.max(1, bad / Math.max(1, good.size()));
        int g = 0;
        int sent = 0;
        for (int i = from; i < to; i++) {
            for (List<Poison> list : poison.values()) {
                order.add(list.get(i));
                if (++sent % every == 0 && g < good.size()) {
                    order.add(good.get(g++));
                }
            }
        }
        order.addAll(good.subList(g, good.size()));
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof Poison p) {
                triedByKind.merge(p.kind(), 1, Integer::sum);
                futures.add(sendPoison(p.record()));
            } else {
                @SuppressWarnings("unchecked")
                ProducerRecord<String, byte[]> r = (ProducerRecord<String, byte[]>) o;
                goodByTopic.merge(r.topic(), 1, Integer::sum);
                futures.add(producer.send(r));
            }
        }
        futures.forEach(PoisonRecordsTest::get);
    }

    private Future<RecordMetadata> sendPoison(ProducerRecord<String, byte[]> record) {
        triedByTopic.merge(record.topic(), 1, Integer::sum);
        return producer.send(record, (meta, e) -> {
            if (e == null) {
                synchronized (poisoned) {
                    for (String reader : readers(record.topic(), record.key())) {
                        poisoned.put(new Copy(record.topic(), meta.partition(), meta.offset(), reader), record);
                    }
                }
            }
        });
    }

    /**
     * A bad record on every partition of every topic, under each key some reader dead-letters, and waits until
     * every bad record sent so far is dead-lettered by every reader: then each reader has handled all before.
     */
    private void barrier(DeadLetterWatch dlq, String what) {
        long t0 = System.nanoTime();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (String topic : Topics.ALL) {
            List<String> keys = switch (topic) {
                case Topics.RESIZE_COMMANDS, Topics.MIGRATION_COMMANDS -> List.of("host-1", "host-2");
                case Topics.HOST_STATUS -> List.of("host-1", "host-2", "barrier");
                default -> List.of("barrier");
            };
            for (int p = 0; p < PARTITIONS; p++) {
                for (String key : keys) {
                    triedByKind.merge(Kind.BAD_JSON, 1, Integer::sum);
                    futures.add(sendPoison(new ProducerRecord<>(topic, p, key,
                            ("{barrier " + what + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                }
            }
        }
        futures.forEach(PoisonRecordsTest::get);
        Set<Copy> expected;
        synchronized (poisoned) {
            expected = Set.copyOf(poisoned.keySet());
        }
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Set<Copy> missing = new java.util.HashSet<>(expected);
            missing.removeAll(dlq.poll().copies().keySet());
            return missing.isEmpty();
        });
        System.out.printf("[poison] %s: every reader has dead-lettered every bad record so far (%d copies), %d ms"
                + " after the barrier%n", what, expected.size(), ms(t0));
    }

    private void sendGood(ProducerRecord<String, byte[]> record) {
        goodByTopic.merge(record.topic(), 1, Integer::sum);
        get(producer.send(record));
    }

    private static ProducerRecord<String, byte[]> event(String key, Record event) {
        return EventRecords.create(key, event, SOURCE);
    }

    /** Adds a resize command for agent {@code host} to {@code out}; returns its id. */
    private static String resize(List<ProducerRecord<String, byte[]>> out, int host, String guest, long memoryMiB) {
        String id = "poison-cmd-" + java.util.UUID.randomUUID();
        Instant now = Instant.now();
        out.add(event(Platform.hostId(host), new ResizeCommand(id, guest, Platform.hostId(host), memoryMiB, null,
                "poison test", "system-test", now, now.plusSeconds(120), null)));
        return id;
    }

    /** Waits for the agents' result to each command, read from the results topic. */
    private static Map<String, ResizeResult> awaitResults(List<String> commands) {
        Set<String> wanted = Set.copyOf(commands);
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Map<String, ResizeResult> found = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : kafka.readAll(Topics.RESIZE_RESULTS)) {
                try {
                    ResizeResult result = EventRecords.read(r, ResizeResult.class).payload();
                    if (wanted.contains(result.commandId())) {
                        found.put(result.commandId(), result);
                    }
                } catch (RuntimeException notAResult) {
                    // one of the test's own bad records
                }
            }
            return found;
        }, found -> found.keySet().containsAll(wanted));
    }

    /** Inventory has the result in the guest's history. */
    private static boolean recorded(ResizeResult result) {
        return history(result.guestId()).stream().anyMatch(h -> h.get("id").asText().equals(result.commandId()));
    }

    private static List<JsonNode> history(String guest) {
        JsonNode all = fleet.get(fleet.inventory("/api/v1/guests/" + guest + "/history?size=1000"));
        return StreamSupport.stream(all.spliterator(), false).toList();
    }

    private static List<String> placementHosts() {
        JsonNode p = fleet.get(fleet.migration("/api/v1/placement?memoryMiB=256&vcpus=1"));
        return StreamSupport.stream(p.get("candidates").spliterator(), false).map(c -> c.get("hostId").asText()).toList();
    }

    private static List<String> synthetic(String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= SYNTHETIC; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static long minMemory(int i) {
        return 1024 + 64L * i;
    }

    private static HostStatus syntheticHost(int i, long freeMiB) {
        return new HostStatus("ph-" + i, Instant.now(), HostState.ACTIVE, "::1", "libvirt-test",
                Set.of(Capability.LIVE_MEMORY_GROW), 65536, freeMiB, 16, 8,
                List.of(new HostGuest("pg-" + i, 4096, 65536, 1, 4)));
    }

    private static GuestPolicy policy(String guest, long min, long max, boolean migratable) {
        return new GuestPolicy(guest, min, max, 1, 4, 0.75, 0.7, 5, migratable, false, null, Instant.now());
    }

    private static GuestMetrics sample(String guest, String host) {
        return new GuestMetrics(guest, host, Instant.now(), 4096, 100, 3996, 1, 0.1, null, null);
    }

    private static RecordMetadata get(Future<RecordMetadata> future) {
        return Futures.await(future, "a send failed");
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
