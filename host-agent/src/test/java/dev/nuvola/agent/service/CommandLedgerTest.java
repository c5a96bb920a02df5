package dev.nuvola.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nuvola.events.CloudEvent;
import dev.nuvola.events.EventType;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.ResizeOutcome;
import dev.nuvola.events.ResizeResult;

/**
 * SPEC rule 2 across a restart: an agent that starts again over the same state directory (a new ledger
 * reading the same file) knows every answer its previous life decided, with the event id it carried.
 */
class CommandLedgerTest {

    @TempDir
    Path stateDir;

    @Test
    void anAnswerDecidedBeforeARestartIsFoundAfterItWithItsEventId() {
        CommandLedger<ResizeResult> before = CommandLedger.forResizes(stateDir, "host-a");
        assertThat(before.find("cmd-1")).isEmpty();
        CloudEvent event = event();
        before.decided("cmd-1", event, result("cmd-1"));

        CommandLedger<ResizeResult> after = CommandLedger.forResizes(stateDir, "host-a");
        CommandLedger.Entry<ResizeResult> entry = after.find("cmd-1").orElseThrow();
        assertThat(entry.published()).isFalse();
        assertThat(entry.event()).isEqualTo(event);
        assertThat(entry.result()).isEqualTo(result("cmd-1"));
        assertThat(after.find("cmd-2")).isEmpty();
    }

    @Test
    void aPublishedMarkSurvivesARestart() {
        CommandLedger<ResizeResult> ledger = CommandLedger.forResizes(stateDir, "host-a");
        ledger.decided("cmd-1", event(), result("cmd-1"));
        ledger.published("cmd-1");
        assertThat(CommandLedger.forResizes(stateDir, "host-a").find("cmd-1").orElseThrow().published()).isTrue();
    }

    @Test
    void everyAnswerSurvivesSeveralRestarts() {
        CommandLedger<ResizeResult> first = CommandLedger.forResizes(stateDir, "host-a");
        IntStream.range(0, 100).forEach(i -> {
            first.decided("first-" + i, event(), result("first-" + i));
            first.published("first-" + i);
        });
        CommandLedger.forResizes(stateDir, "host-a").decided("second-0", event(), result("second-0"));

        CommandLedger<ResizeResult> third = CommandLedger.forResizes(stateDir, "host-a");
        assertThat(IntStream.range(0, 100).mapToObj(i -> third.find("first-" + i).orElseThrow()))
                .allMatch(CommandLedger.Entry::published);
        assertThat(third.find("second-0").orElseThrow().published()).isFalse();
        assertThat(third.find("first-100")).isEmpty();
    }

    @Test
    void anotherHostSharingTheStateDirectoryHasItsOwnLedger() {
        CommandLedger.forResizes(stateDir, "host-a").decided("cmd-1", event(), result("cmd-1"));
        assertThat(CommandLedger.forResizes(stateDir, "host-b").find("cmd-1")).isEmpty();
    }

    @Test
    void resizesAndMigrationStepsAreKeptApart() {
        CommandLedger.forResizes(stateDir, "host-a").decided("cmd-1", event(), result("cmd-1"));
        assertThat(CommandLedger.forMigrationSteps(stateDir, "host-a").find("cmd-1")).isEmpty();
    }

    @Test
    void aMissingStateDirectoryIsCreated() {
        Path nested = stateDir.resolve("does/not/exist/yet");
        CommandLedger.forResizes(nested, "host-a").decided("cmd-1", event(), result("cmd-1"));
        assertThat(CommandLedger.forResizes(nested, "host-a").find("cmd-1")).isPresent();
    }

    @Test
    void aDamagedLedgerStopsTheAgentInsteadOfForgettingAnswers() throws IOException {
        CommandLedger.forResizes(stateDir, "host-a").decided("cmd-1", event(), result("cmd-1"));
        Files.writeString(stateDir.resolve("host-a/resize-commands.jsonl"), "{\"commandId\": \"cmd-2\", \"ev",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> CommandLedger.forResizes(stateDir, "host-a")).hasMessageContaining("damaged");
    }

    @Test
    void onlyTheLastAnswersAreKeptInMemoryAndOnDiskAcrossRestarts() throws IOException {
        CommandLedger<ResizeResult> ledger = CommandLedger.forResizes(stateDir, "host-a", 10);
        Path file = stateDir.resolve("host-a/resize-commands.jsonl");
        long longest = 0;
        for (int i = 0; i < 100; i++) {
            ledger.decided("cmd-" + i, event(), result("cmd-" + i));
            if (i != 97) {
                ledger.published("cmd-" + i);
            }
            longest = Math.max(longest, Files.readAllLines(file).size());
        }
        // The file is rewritten with the kept answers once it holds twice their lines: never more than 4 per answer.
        assertThat(longest).isLessThanOrEqualTo(40);
        assertThat(IntStream.range(0, 90).mapToObj(i -> ledger.find("cmd-" + i))).allMatch(java.util.Optional::isEmpty);

        CommandLedger<ResizeResult> restarted = CommandLedger.forResizes(stateDir, "host-a", 10);
        for (int i = 90; i < 100; i++) {
            CommandLedger.Entry<ResizeResult> entry = restarted.find("cmd-" + i).orElseThrow();
            assertThat(entry.result()).isEqualTo(result("cmd-" + i));
            assertThat(entry.published()).isEqualTo(i != 97);
        }
        assertThat(restarted.find("cmd-89")).isEmpty();
        assertThat(Files.exists(file.resolveSibling("resize-commands.jsonl.next"))).isFalse();
    }

    @Test
    void aLongFileFromAnOlderAgentIsCutToTheKeptAnswersAtStart() throws IOException {
        CommandLedger<ResizeResult> unbounded = CommandLedger.forResizes(stateDir, "host-a", 1000);
        IntStream.range(0, 200).forEach(i -> unbounded.decided("cmd-" + i, event(), result("cmd-" + i)));

        CommandLedger<ResizeResult> bounded = CommandLedger.forResizes(stateDir, "host-a", 10);
        assertThat(Files.readAllLines(stateDir.resolve("host-a/resize-commands.jsonl"))).hasSize(10);
        assertThat(bounded.find("cmd-199")).isPresent();
        assertThat(bounded.find("cmd-189")).isEmpty();
    }

    private static CloudEvent event() {
        return CloudEvent.create(EventType.RESIZE_RESULT, "/nuvola/host-agent/host-a");
    }

    private static ResizeResult result(String commandId) {
        return new ResizeResult(commandId, "g-1", "host-a", ResizeOutcome.APPLIED, null, "applied live",
                new GuestSize(1024, 1), new GuestSize(2048, 1), Instant.parse("2026-11-26T16:00:00Z"));
    }
}
