package dev.nuvola.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.nuvola.devstack.kafka.EmbeddedKafka;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.devstack.platform.PlatformHttp;
import dev.nuvola.devstack.platform.ServiceProcess;
import dev.nuvola.devstack.test.TestKafka;
import dev.nuvola.events.EventRecords;
import dev.nuvola.events.ResizeCommand;
import dev.nuvola.events.ResizeResult;
import dev.nuvola.events.Topics;

/**
 * The host agent's benchmark (BENCHMARKS.md), not part of the test run (its name is not *Test):
 * {@code mvn -pl system-tests test -Dtest=AgentBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * The packaged agent on a 1,000-domain test-driver node publishes every domain's metrics each second to a
 * real broker; it reports its own cycle times, the test reads its RSS, then sends resize commands at a
 * steady pace and times command produced -> result produced from the records' timestamps.
 */
class AgentBenchmark {
    private static final int DOMAINS = Integer.getInteger("bench.domains", 1000);
    private static final int COMMANDS = Integer.getInteger("bench.commands", 500);
    private static final int COMMANDS_PER_SECOND = 20;
    private static final String HOST = "bench-host";

    @Test
    void agentUnderAThousandDomains() throws Exception {
        Path work = AgentUnderTest.freshWorkDir("agent-benchmark");
        List<NodeFile.Domain> domains = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            domains.add(new NodeFile.Domain(String.format("b-%04d", i), 512 + (i % 8) * 256L, 8192, 1 + i % 4, 8));
        }
        Path node = work.resolve("node.xml");
        Files.writeString(node, NodeFile.xml(4L * 1024 * 1024, 4096, domains));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withLogDir(work.resolve("kafka")));
             TestKafka client = new TestKafka(kafka.bootstrapServers())) {
            kafka.createPlatformTopics();
            try (ServiceProcess agent = AgentUnderTest.start(HOST, kafka.bootstrapServers(), work,
                    Map.of("NUVOLA_LIBVIRT_URI", "test://" + node))) {
                System.out.println("[bench] warming up 20 s with " + DOMAINS + " domains at 1 sample/s ...");
                Thread.sleep(20_000);
                String atStart = get(agent.baseUri().resolve("/q/metrics"));
                long[] rss = new long[30];
                for (int i = 0; i < rss.length; i++) {
                    rss[i] = ProcessStats.rssKiB(agent.pid());
                    Thread.sleep(1000);
                }
                String metrics = get(agent.baseUri().resolve("/q/metrics"));
                System.out.printf("[bench] stats cycle (%d domains): driver read p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                                + " whole cycle p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d cycles%n", DOMAINS,
                        ms(metrics, "nuvola_agent_driver_read_seconds{quantile=\"0.5\"}"),
                        ms(metrics, "nuvola_agent_driver_read_seconds{quantile=\"0.99\"}"),
                        ms(metrics, "nuvola_agent_driver_read_seconds_max"),
                        ms(metrics, "nuvola_agent_sample_cycle_seconds{quantile=\"0.5\"}"),
                        ms(metrics, "nuvola_agent_sample_cycle_seconds{quantile=\"0.99\"}"),
                        ms(metrics, "nuvola_agent_sample_cycle_seconds_max"),
                        (long) value(metrics, "nuvola_agent_sample_cycle_seconds_count"));
                // The quantiles above span the JVM's warm-up; the mean over the measured 30 s is the steady state.
                double cycles = value(metrics, "nuvola_agent_sample_cycle_seconds_count")
                        - value(atStart, "nuvola_agent_sample_cycle_seconds_count");
                System.out.printf("[bench] steady state over the last %d cycles: mean cycle %.1f ms, mean driver read %.1f ms%n",
                        (long) cycles,
                        (ms(metrics, "nuvola_agent_sample_cycle_seconds_sum") - ms(atStart, "nuvola_agent_sample_cycle_seconds_sum")) / cycles,
                        (ms(metrics, "nuvola_agent_driver_read_seconds_sum") - ms(atStart, "nuvola_agent_driver_read_seconds_sum")) / cycles);
                System.out.printf("[bench] agent RSS over 30 s under that load: max %d MiB, mean %d MiB (heap -Xmx: %s)%n",
                        Arrays.stream(rss).max().orElse(0) / 1024, (long) Arrays.stream(rss).average().orElse(0) / 1024,
                        System.getProperty(ServiceProcess.JVM_OPTIONS, "the dev stack's 256m"));

                Random random = new Random(42);
                Map<String, Long> sentAt = new HashMap<>();
                for (int i = 0; i < COMMANDS; i++) {
                    String guest = String.format("b-%04d", random.nextInt(DOMAINS));
                    long target = 512 + random.nextInt(16) * 256L;
                    ResizeCommand command = new ResizeCommand(UUID.randomUUID().toString(), guest, HOST, target, null,
                            "benchmark", "benchmark", Instant.now(), Instant.now().plusSeconds(120), null);
                    client.send(HOST, command);
                    sentAt.put(command.commandId(), 0L);
                    Thread.sleep(1000 / COMMANDS_PER_SECOND);
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> client.readAll(Topics.RESIZE_RESULTS).size() >= COMMANDS);
                for (ConsumerRecord<String, byte[]> record : client.readAll(Topics.RESIZE_COMMANDS)) {
                    sentAt.put(EventRecords.read(record, ResizeCommand.class).payload().commandId(), record.timestamp());
                }
                long[] latencies = client.readAll(Topics.RESIZE_RESULTS).stream()
                        .map(r -> Map.entry(EventRecords.read(r, ResizeResult.class).payload().commandId(), r.timestamp()))
                        .filter(e -> sentAt.containsKey(e.getKey()))
                        .mapToLong(e -> e.getValue() - sentAt.get(e.getKey())).sorted().toArray();
                System.out.printf("[bench] resize command produced -> result produced, %d commands at %d/s: "
                                + "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n", latencies.length, COMMANDS_PER_SECOND,
                        percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                        latencies[latencies.length - 1]);
            }
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(String metrics, String name) {
        return value(metrics, name) * 1000;
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        if (!m.find()) {
            throw new IllegalStateException(name + " not in the agent's metrics");
        }
        return Double.parseDouble(m.group(1));
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        return PlatformHttp.client().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
