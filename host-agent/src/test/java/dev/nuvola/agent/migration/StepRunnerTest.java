package dev.nuvola.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.libvirt.LibvirtDriver;
import dev.nuvola.devstack.platform.NodeFile;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationStep;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Two hosts on Debian's libvirt test driver (each its own node file and connection) and a shared spool: the
 * saga's steps in any order, repeated, with aborts on either side. SPEC rule 3: the guest never runs on two
 * hosts and is never lost (it runs somewhere, or its saved file waits in the spool for whoever may start it).
 */
class StepRunnerTest {
    private static final String GUEST = "xmpp-1";
    private static final Instant NOW = Instant.parse("2026-11-26T18:00:00Z");

    private Path work;
    private LibvirtDriver sourceDriver;
    private LibvirtDriver targetDriver;
    private StepRunner source;
    private StepRunner target;
    private SpoolHandoff spool;

    @BeforeEach
    @BeforeTry
    void hosts() throws IOException {
        work = Files.createTempDirectory("step-runner");
        Path a = work.resolve("host-a.xml");
        Path b = work.resolve("host-b.xml");
        Files.writeString(a, NodeFile.xml(16384, 8, List.of(new NodeFile.Domain(GUEST, 2048, 8192, 2, 4),
                new NodeFile.Domain("web-1", 1024, 4096, 1, 2))));
        Files.writeString(b, NodeFile.xml(8192, 4, List.of(new NodeFile.Domain("db-1", 4096, 8192, 2, 4))));
        sourceDriver = new LibvirtDriver("test://" + a);
        targetDriver = new LibvirtDriver("test://" + b);
        spool = new SpoolHandoff(work.resolve("spool"));
        source = new StepRunner(sourceDriver, spool, new Reservations(), new StepRunner.Host("host-a", 512, "test://{host}"));
        target = new StepRunner(targetDriver, spool, new Reservations(), new StepRunner.Host("host-b", 512, "test://{host}"));
    }

    @AfterEach
    @AfterTry
    void close() throws IOException {
        sourceDriver.close();
        targetDriver.close();
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static MigrationCommand command(MigrationStep step, String hostId, MigrationMethod method, String migrationId) {
        return new MigrationCommand(UUID.randomUUID().toString(), migrationId, step, hostId, GUEST, "host-a", "host-b",
                method, new GuestSize(2048, 2), NOW, NOW.plus(Duration.ofMinutes(1)));
    }

    private StepOutcome run(MigrationStep step, MigrationMethod method, Optional<GuestPolicy> policy) {
        boolean onTarget = step == MigrationStep.PREPARE_TARGET || step == MigrationStep.ACTIVATE;
        return (onTarget ? target : source).run(command(step, onTarget ? "host-b" : "host-a", method, "m-1"), policy, NOW);
    }

    private static boolean runs(LibvirtDriver driver) {
        return driver.guest(GUEST).map(GuestState::running).orElse(false);
    }

    @Test
    void saveMoveRestoreMovesTheGuestWithItsSize() {
        sourceDriver.setMemory(GUEST, 3072);
        for (MigrationStep step : List.of(MigrationStep.PREPARE_TARGET, MigrationStep.TRANSFER, MigrationStep.ACTIVATE,
                MigrationStep.CLEANUP_SOURCE)) {
            StepOutcome outcome = run(step, MigrationMethod.SAVE_RESTORE, Optional.empty());
            assertThat(outcome.succeeded()).as(step + ": " + outcome.reason()).isTrue();
        }
        assertThat(sourceDriver.guest(GUEST)).isEmpty();
        GuestState moved = targetDriver.guest(GUEST).orElseThrow();
        assertThat(moved.running()).isTrue();
        assertThat(moved.memoryMiB()).isEqualTo(3072);
        assertThat(spool.exists("m-1", SpoolHandoff.Stage.ACTIVATED)).isFalse();
    }

    @Test
    void anAbortAfterTheTransferStartsTheGuestOnTheSourceAgain() {
        assertThat(run(MigrationStep.PREPARE_TARGET, MigrationMethod.SAVE_RESTORE, Optional.empty()).succeeded()).isTrue();
        assertThat(run(MigrationStep.TRANSFER, MigrationMethod.SAVE_RESTORE, Optional.empty()).succeeded()).isTrue();
        assertThat(runs(sourceDriver)).isFalse();
        assertThat(target.run(command(MigrationStep.ABORT, "host-b", MigrationMethod.SAVE_RESTORE, "m-1"), Optional.empty(), NOW)
                .succeeded()).isTrue();
        assertThat(source.run(command(MigrationStep.ABORT, "host-a", MigrationMethod.SAVE_RESTORE, "m-1"), Optional.empty(), NOW)
                .succeeded()).isTrue();
        assertThat(runs(sourceDriver)).isTrue();
        assertThat(targetDriver.guest(GUEST)).isEmpty();
        // And a late ACTIVATE finds nothing to start.
        StepOutcome late = run(MigrationStep.ACTIVATE, MigrationMethod.SAVE_RESTORE, Optional.empty());
        assertThat(late.succeeded()).isFalse();
        assertThat(late.code()).isEqualTo("NOT_SAVED");
        assertThat(targetDriver.guest(GUEST)).isEmpty();
    }

    @Test
    void aNeverRestartGuestIsNotSavedAndTheTestDriverCannotMoveItLive() {
        GuestPolicy neverRestart = new GuestPolicy(GUEST, 512, 8192, 1, 4, 0.75, 0.7, 0, true, true, null, NOW);
        StepOutcome saved = run(MigrationStep.TRANSFER, MigrationMethod.SAVE_RESTORE, Optional.of(neverRestart));
        assertThat(saved.code()).isEqualTo("NEVER_RESTART");
        StepOutcome live = run(MigrationStep.TRANSFER, MigrationMethod.LIVE, Optional.of(neverRestart));
        assertThat(live.code()).isEqualTo("UNSUPPORTED_METHOD");
        assertThat(runs(sourceDriver)).isTrue();
    }

    @Test
    void theTargetRefusesAGuestItHasNoRoomFor() {
        // host-b: 8192 MiB, 512 kept for itself, 4096 used by db-1: 3584 free.
        MigrationCommand big = new MigrationCommand("c-big", "m-2", MigrationStep.PREPARE_TARGET, "host-b", GUEST,
                "host-a", "host-b", MigrationMethod.SAVE_RESTORE, new GuestSize(4096, 2), NOW, NOW.plusSeconds(60));
        StepOutcome outcome = target.run(big, Optional.empty(), NOW);
        assertThat(outcome.code()).isEqualTo("INSUFFICIENT_HOST_CAPACITY");
        assertThat(outcome.message()).contains("3584 MiB");
        // A first reservation takes room from a second.
        assertThat(run(MigrationStep.PREPARE_TARGET, MigrationMethod.SAVE_RESTORE, Optional.empty()).succeeded()).isTrue();
        MigrationCommand second = new MigrationCommand("c-2", "m-3", MigrationStep.PREPARE_TARGET, "host-b", "web-1",
                "host-a", "host-b", MigrationMethod.SAVE_RESTORE, new GuestSize(2048, 1), NOW, NOW.plusSeconds(60));
        assertThat(target.run(second, Optional.empty(), NOW).code()).isEqualTo("INSUFFICIENT_HOST_CAPACITY");
    }

    @Test
    void anAbortNeverStopsAGuestThatAlreadyRunsOnTheTarget() {
        for (MigrationStep step : List.of(MigrationStep.PREPARE_TARGET, MigrationStep.TRANSFER, MigrationStep.ACTIVATE)) {
            assertThat(run(step, MigrationMethod.SAVE_RESTORE, Optional.empty()).succeeded()).isTrue();
        }
        StepOutcome onTarget = target.run(command(MigrationStep.ABORT, "host-b", MigrationMethod.SAVE_RESTORE, "m-1"),
                Optional.empty(), NOW);
        StepOutcome onSource = source.run(command(MigrationStep.ABORT, "host-a", MigrationMethod.SAVE_RESTORE, "m-1"),
                Optional.empty(), NOW);
        assertThat(onTarget.code()).isEqualTo("ACTIVE_ON_TARGET");
        assertThat(onSource.code()).isEqualTo("ACTIVE_ON_TARGET");
        assertThat(runs(targetDriver)).isTrue();
        assertThat(runs(sourceDriver)).isFalse();
        // A live move leaves nothing to take back either: db-1 stands for a guest that arrived live.
        MigrationCommand live = new MigrationCommand("c-live", "m-live", MigrationStep.ABORT, "host-b", "db-1", "host-a",
                "host-b", MigrationMethod.LIVE, new GuestSize(4096, 2), NOW, NOW.plusSeconds(60));
        assertThat(target.run(live, Optional.empty(), NOW).code()).isEqualTo("ACTIVE_ON_TARGET");
    }

    @Test
    void aBrokenSpoolFailsTheStepAndLeavesTheGuestRunning() throws IOException {
        Path dir = work.resolve("spool");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        Files.delete(dir);
        Files.writeString(dir, "not a directory");
        StepOutcome outcome = run(MigrationStep.TRANSFER, MigrationMethod.SAVE_RESTORE, Optional.empty());
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.code()).isIn("SPOOL_ERROR", "DRIVER_ERROR");
        assertThat(runs(sourceDriver)).isTrue();
        Files.delete(dir);
        Files.createDirectories(dir);
    }

    @Test
    void aStepPastItsDeadlineDoesNothing() {
        MigrationCommand late = command(MigrationStep.TRANSFER, "host-a", MigrationMethod.SAVE_RESTORE, "m-1");
        assertThat(source.run(late, Optional.empty(), NOW.plusSeconds(61)).code()).isEqualTo("DEADLINE_PASSED");
        assertThat(runs(sourceDriver)).isTrue();
    }

    enum Act { PREPARE, TRANSFER, ACTIVATE, CLEANUP, ABORT_SOURCE, ABORT_TARGET }

    @Provide
    Arbitrary<List<Act>> schedules() {
        return Arbitraries.of(Act.class).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 300)
    void theGuestNeverRunsOnTwoHostsAndIsNeverLost(@ForAll("schedules") List<Act> schedule) {
        List<String> trace = new ArrayList<>();
        for (Act act : schedule) {
            StepOutcome outcome = switch (act) {
                case PREPARE -> run(MigrationStep.PREPARE_TARGET, MigrationMethod.SAVE_RESTORE, Optional.empty());
                case TRANSFER -> run(MigrationStep.TRANSFER, MigrationMethod.SAVE_RESTORE, Optional.empty());
                case ACTIVATE -> run(MigrationStep.ACTIVATE, MigrationMethod.SAVE_RESTORE, Optional.empty());
                case CLEANUP -> run(MigrationStep.CLEANUP_SOURCE, MigrationMethod.SAVE_RESTORE, Optional.empty());
                case ABORT_SOURCE -> source.run(command(MigrationStep.ABORT, "host-a", MigrationMethod.SAVE_RESTORE, "m-1"),
                        Optional.empty(), NOW);
                case ABORT_TARGET -> target.run(command(MigrationStep.ABORT, "host-b", MigrationMethod.SAVE_RESTORE, "m-1"),
                        Optional.empty(), NOW);
            };
            trace.add(act + "=" + (outcome.succeeded() ? "ok" : outcome.code()));
            boolean onSource = runs(sourceDriver);
            boolean onTarget = runs(targetDriver);
            assertThat(onSource && onTarget).as("running on both hosts after %s", trace).isFalse();
            boolean waiting = spool.exists("m-1", SpoolHandoff.Stage.SAVED) || spool.exists("m-1", SpoolHandoff.Stage.ABORTING)
                    || spool.exists("m-1", SpoolHandoff.Stage.ACTIVATING);
            assertThat(onSource || onTarget || waiting).as("lost after %s", trace).isTrue();
            assertThat(outcome.code()).as("after %s", trace).isNotEqualTo("DRIVER_ERROR");
        }
    }
}
