package dev.nuvola.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard queries metrics the services really expose, and has the panels operators look for. */
class DashboardTest {
    private static final String DASHBOARD = "deploy/monitoring/nuvola-dashboard.json";
    private static final List<String> MODULES = List.of("host-agent", "scaler-service", "inventory-service",
            "migration-service", "service-kit");

    /**
     * Meters the libraries register (Micrometer's Kafka client binder, Quarkus' HTTP server binder) and Prometheus'
     * own "up". Seen in /q/metrics of host-agent and scaler-service, run against a real broker (docs/deploy.md).
     */
    private static final Set<String> LIBRARY_METRICS = Set.of("up",
            "kafka_consumer_fetch_manager_records_consumed_total", "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_producer_record_error_total", "http_server_requests_seconds_count");

    private static final Pattern METRIC = Pattern.compile("\\b([a-z_][a-z0-9_]*)(?=\\{|\\[)");
    private static final Pattern CLIENT = Pattern.compile(
            "service=\"([a-z-]+)\",\\s*client_id=\"kafka-consumer-([a-z-]+)\"");

    private static JsonNode dashboard;

    @BeforeAll
    static void read() throws IOException {
        dashboard = new ObjectMapper().readTree(Repo.read(DASHBOARD));
    }

    private static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        return exprs;
    }

    @Test
    void theDashboardHasPanelsForReactionTimeResizesRejectionsAndMigrations() {
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        for (String topic : List.of("Reaction time", "Resizes", "Rejections", "Migrations")) {
            assertThat(titles).as("a panel on " + topic).anyMatch(t -> t.startsWith(topic));
        }
        dashboard.path("panels").forEach(p -> assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty());
    }

    /** nuvola_* series are those of meters the sources register; every other one is a known library meter. */
    @Test
    void everyQueriedMetricIsOneTheServicesRegister() {
        Set<String> registered = registeredSeries();
        assertThat(registered).isNotEmpty();
        Set<String> queried = new HashSet<>();
        for (String expr : expressions()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertThat(queried).isNotEmpty();
        for (String metric : queried) {
            if (metric.startsWith("nuvola_")) {
                assertThat(registered).as("meters registered in the sources").contains(metric);
            } else {
                assertThat(LIBRARY_METRICS).as("library metrics").contains(metric);
            }
        }
    }

    /**
     * The Kafka client metrics are per channel (client id kafka-consumer-CHANNEL): the channel must exist there,
     * or a plain consumer of the service must carry that client id (the scaler's input loop).
     */
    @Test
    void everyKafkaConsumerQueriedIsAnIncomingChannelOfThatService() {
        int checked = 0;
        for (String expr : expressions()) {
            Matcher m = CLIENT.matcher(expr);
            while (m.find()) {
                String properties = Repo.read(m.group(1) + "/src/main/resources/application.properties");
                boolean channel = properties.contains("mp.messaging.incoming." + m.group(2) + ".connector=smallrye-kafka");
                boolean plainConsumer = !channel && m.group(1).equals("scaler-service") && Repo.read(
                        "scaler-service/src/main/java/dev/nuvola/scaler/messaging/ScalingInputs.java")
                        .contains("\"kafka-consumer-" + m.group(2) + "\"");
                assertThat(channel || plainConsumer).as(m.group(1) + " channel or consumer " + m.group(2)).isTrue();
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    /**
     * Prometheus names of the meters built in the sources, by builder ({@code Timer.builder("a.b")}) or by registry
     * ({@code meters.counter("a.b", ...)}): a timer "a.b" is a_b_seconds(_count|_sum|_max), a counter a_b_total.
     */
    private static Set<String> registeredSeries() {
        Pattern builder = Pattern.compile(
                "(Timer|Counter|Gauge|DistributionSummary)\\.builder\\(\"([a-z0-9.]+)\"|\\.(timer|counter|gauge)\\(\"([a-z0-9.]+)\"");
        Set<String> series = new HashSet<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(Repo.path(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = builder.matcher(Files.readString(file));
                    while (m.find()) {
                        String kind = m.group(1) != null ? m.group(1) : m.group(3);
                        String base = (m.group(2) != null ? m.group(2) : m.group(4)).replace('.', '_');
                        switch (kind.toLowerCase(Locale.ROOT)) {
                            case "timer" -> {
                                for (String suffix : List.of("", "_count", "_sum", "_max")) {
                                    series.add(base + "_seconds" + suffix);
                                }
                            }
                            case "counter" -> series.add(base + "_total");
                            default -> series.add(base);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return series;
    }
}
