package dev.nuvola.agent.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.MigrationEvent;
import dev.nuvola.events.ResizeResult;

/**
 * What this agent answered to each command (a resize, or a migration step), on local disk, so that "exactly one result per
 * command" survives a crash. A result is written here (with the event id it will carry) before it is
 * published, and marked published after the broker has it; the command's offset is committed only after
 * that. A command delivered again therefore finds either nothing (it is executed: sizes are absolute and
 * the guard re-reads the guest, so executing twice changes nothing twice), its stored result (sent again
 * with the same event id), or its published mark (skipped). The one window left, a crash between the
 * broker's acknowledgement and the mark, can put a second copy of the same event on the topic; consumers
 * dedupe by event id, so it is still one result.
 * <p>
 * The file guards against the agent's process dying (a kill, the OOM killer, a restart): what it wrote is in the
 * kernel's page cache then, and the next process reads it. A line is not synced to the disk, for two reasons. A node
 * that loses power loses its guests too, and after it boots again, executing a command delivered again reports what
 * the guest is now, where a stored APPLIED would not. And a synced line puts the disk's worst moments into every
 * resize: in the end-to-end benchmark, writes on this machine's disk sometimes completed only after 0.4-0.7 s, and
 * every agent executing a command at that moment waited for them (BENCHMARKS.md, end to end, eighth session).
 * <p>
 * Only the last {@value #KEPT_ANSWERS} answers are kept. An answer is needed while its command can be delivered
 * again, which is until the command's offset is committed: within seconds, and after a crash at most the records
 * fetched but not yet committed. Before, every answer since the agent's first start stayed in memory (about
 * 1.5 KB each: 1.4 MB a minute at 20 commands a second) and in the file, which was read whole at every start.
 * The file is rewritten with the kept answers (a new file, synced, then renamed over the old one) whenever it
 * holds twice as many lines as they take (two each, the decision and the published mark).
 */
public final class CommandLedger<R extends Record> {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    /** A command's answer: the result, the event that carries it, and whether the broker has it. */
    public record Entry<R>(String commandId, CloudEvent event, R result, boolean published) {
    }

    /** One line of the file: a decision (event and result present) or a published mark. */
    private record Line<R>(String commandId, CloudEvent event, R result, boolean published) {
    }

    static final int KEPT_ANSWERS = 1024;

    private final Path file;
    private final JavaType lineType;
    private final int kept;
    /** In the order the answers were decided: the eldest is forgotten first. Guarded by this. */
    private final Map<String, Entry<R>> entries = new LinkedHashMap<>();
    private int lines;

    public static CommandLedger<ResizeResult> forResizes(Path stateDir, String hostId) {
        return forResizes(stateDir, hostId, KEPT_ANSWERS);
    }

    static CommandLedger<ResizeResult> forResizes(Path stateDir, String hostId, int kept) {
        return new CommandLedger<>(stateDir, hostId, "resize-commands", ResizeResult.class, kept);
    }

    public static CommandLedger<MigrationEvent> forMigrationSteps(Path stateDir, String hostId) {
        return new CommandLedger<>(stateDir, hostId, "migration-commands", MigrationEvent.class, KEPT_ANSWERS);
    }

    private CommandLedger(Path stateDir, String hostId, String name, Class<R> resultType, int kept) {
        this.kept = kept;
        this.file = stateDir.resolve(hostId).resolve(name + ".jsonl");
        this.lineType = JSON.getTypeFactory().constructParametricType(Line.class, resultType);
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!text.isBlank()) {
                        replay(JSON.readValue(text, lineType));
                        lines++;
                    }
                }
            }
            compactIfLong();
        } catch (JsonProcessingException e) {
            // A line cut short by a crash mid-write is the last one; everything before it is whole.
            throw new IllegalStateException("the agent's command ledger " + file + " is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's command ledger " + file, e);
        }
    }

    private void replay(Line<R> line) {
        if (line.published()) {
            entries.computeIfPresent(line.commandId(),
                    (id, e) -> new Entry<>(id, e.event(), e.result(), true));
        } else {
            entries.put(line.commandId(), new Entry<>(line.commandId(), line.event(), line.result(), false));
            if (entries.size() > kept) {
                entries.remove(entries.keySet().iterator().next());
            }
        }
    }

    public synchronized Optional<Entry<R>> find(String commandId) {
        return Optional.ofNullable(entries.get(commandId));
    }

    /** Stores the answer before it is published. */
    public void decided(String commandId, CloudEvent event, R result) {
        append(new Line<>(commandId, event, result, false));
    }

    /** Marks the answer as on the broker. */
    public void published(String commandId) {
        append(new Line<>(commandId, null, null, true));
    }

    private synchronized void append(Line<R> line) {
        try {
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            replay(line);
            lines++;
            compactIfLong();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's command ledger " + file, e);
        }
    }

    /** Rewrites the file with the kept answers only, once it is twice their size: a crash leaves either file. */
    private void compactIfLong() throws IOException {
        if (lines <= 4 * kept) {
            return;
        }
        List<String> text = new ArrayList<>();
        for (Entry<R> entry : entries.values()) {
            text.add(JSON.writeValueAsString(new Line<>(entry.commandId(), entry.event(), entry.result(), false)));
            if (entry.published()) {
                text.add(JSON.writeValueAsString(new Line<R>(entry.commandId(), null, null, true)));
            }
        }
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.write(next, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename itself is durable only once the directory is synced.
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        lines = text.size();
    }
}
