package dev.nuvola.agent.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A scenario file: the usage curve of each simulated guest by name, e.g.
 * <pre>{"guests": {"xmpp-1": {"curve": "ramp", "fromMiB": 1000, "toMiB": 3000, "afterSeconds": 10,
 *                             "overSeconds": 120, "cpuUsage": 0.3}}}</pre>
 */
public record Scenario(Map<String, UsageCurve> guests) {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public Scenario {
        guests = guests == null ? Map.of() : Map.copyOf(guests);
    }

    public static Scenario read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Scenario.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scenario " + file + ": " + e.getMessage(), e);
        }
    }
}
