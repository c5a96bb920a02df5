package dev.nuvola.migration.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.Topics;

/**
 * Plays the host agents' part on the real broker, since the agents' migration handlers are not built yet: it
 * consumes {@code nuvola.migration-commands} as an agent would and answers each command with a step outcome on
 * {@code nuvola.migration-events}, as a script per guest says. This is not a fake of the service under test:
 * migration-service runs whole, with its real consumers, database, outbox and relay, and only its counterpart
 * on the other side of Kafka is scripted. Guests without a script get no answer (other tests' commands).
 */
final class AgentsOnTheBroker implements AutoCloseable {
    enum Reply {
        SUCCEED, FAIL, IGNORE
    }

    interface Script {
        Reply on(MigrationCommand command);
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<MigrationCommand> received = new CopyOnWriteArrayList<>();
    private final TestKafka kafka = TestKafka.shared();
    private final Thread thread;
    private volatile boolean running = true;
    /** Every outcome sent twice, same record and event id: the service must apply it once. */
    private volatile boolean duplicateOutcomes;

    AgentsOnTheBroker() {
        this(Map.of());
    }

    /** With scripts in place before the first command is read (these agents read the topic from its start). */
    AgentsOnTheBroker(Map<String, Script> initial) {
        scripts.putAll(initial);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, NuvolaStackResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-agents-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.MIGRATION_COMMANDS));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        answer(EventRecords.read(r, MigrationCommand.class).payload());
                    }
                }
            }
        }, "agents-on-the-broker");
        thread.setDaemon(true);
        thread.start();
    }

    void script(String guestId, Script script) {
        scripts.put(guestId, script);
    }

    void duplicateOutcomes(boolean on) {
        duplicateOutcomes = on;
    }

    List<MigrationCommand> commandsFor(String guestId) {
        return received.stream().filter(c -> c.guestId().equals(guestId)).toList();
    }

    private void answer(MigrationCommand c) {
        Script script = scripts.get(c.guestId());
        if (script == null) {
            return;
        }
        received.add(c);
        Reply reply = script.on(c);
        if (reply == Reply.IGNORE) {
            return;
        }
        MigrationEvent outcome = new MigrationEvent(c.migrationId(), c.guestId(),
                reply == Reply.SUCCEED ? MigrationEvent.Kind.STEP_SUCCEEDED : MigrationEvent.Kind.STEP_FAILED,
                c.step(), c.commandId(), null, c.hostId(), c.sourceHostId(), c.targetHostId(),
                reply == Reply.FAIL ? "scripted failure of " + c.step() : null, Instant.now());
        var record = kafka.send(c.migrationId(), outcome);
        if (duplicateOutcomes) {
            kafka.send(record);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
