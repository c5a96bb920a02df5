package dev.nuvola.agent.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.nuvola.agent.config.AgentConfig;

/**
 * The ids of the resize commands this agent has answered, kept in a local append-only file so that
 * a command redelivered after a restart (its offset was not committed yet) is not answered twice.
 * An id is written after its result is on the broker and before the command's offset is committed.
 */
@ApplicationScoped
public class AppliedCommandLog {
    private final Path file;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    AppliedCommandLog(AgentConfig config) {
        this.file = config.stateDir().resolve(config.hostId()).resolve("answered-resize-commands");
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                answered.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's command log " + file, e);
        }
    }

    public boolean answered(String commandId) {
        return answered.contains(commandId);
    }

    public synchronized void record(String commandId) {
        try {
            Files.writeString(file, commandId + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's command log " + file, e);
        }
        answered.add(commandId);
    }
}
