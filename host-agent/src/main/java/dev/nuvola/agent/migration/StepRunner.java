package dev.nuvola.agent.migration;

import java.time.Instant;
import java.util.Optional;

import dev.nuvola.agent.driver.Allocation;
import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.DriverException;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;
import dev.nuvola.agent.migration.SpoolHandoff.Stage;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.MigrationCommand;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationStep;

/**
 * This host's part of a migration, one step at a time, each safe to repeat (the migration service retries a
 * step whose answer it did not get). Plain Java over the driver and the spool: no Kafka, no Quarkus, so the
 * safety rules below are tested against the real libvirt test driver directly.
 * <ul>
 *   <li>Rule 3, never on two hosts: a saved guest is started by whoever claims its spool file first (see
 *       {@link SpoolHandoff}); a live migration is one libvirt call that moves it. A guest is never removed
 *       from a host while it runs there, and a saved guest's file is only deleted once it runs again.</li>
 *   <li>Rule 4, neverRestart: save → restore stops the guest, so it is refused for such a guest; only a live
 *       migration moves it.</li>
 *   <li>Rule 1, capacity: the target reserves the guest's size out of its free room before anything moves.</li>
 * </ul>
 */
public final class StepRunner {

    /** What the runner needs of the host beyond its driver. */
    public record Host(String hostId, long memoryReserveMiB, String targetUriTemplate) {
    }

    private final GuestDriver driver;
    private final SpoolHandoff spool;
    private final Reservations reservations;
    private final Host host;

    public StepRunner(GuestDriver driver, SpoolHandoff spool, Reservations reservations, Host host) {
        this.driver = driver;
        this.spool = spool;
        this.reservations = reservations;
        this.host = host;
    }

    public StepOutcome run(MigrationCommand command, Optional<GuestPolicy> policy, Instant now) {
        if (!host.hostId().equals(command.hostId())) {
            return StepOutcome.failed("WRONG_HOST", "the command is for " + command.hostId() + ", this is " + host.hostId());
        }
        boolean target = host.hostId().equals(command.targetHostId());
        if (command.step() != MigrationStep.ABORT && now.isAfter(command.deadline())) {
            return StepOutcome.failed("DEADLINE_PASSED", "the step's deadline " + command.deadline() + " has passed");
        }
        if (command.step() != MigrationStep.ABORT && command.step() != MigrationStep.CLEANUP_SOURCE) {
            Optional<StepOutcome> refused = methodRefused(command, policy);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        try {
            return switch (command.step()) {
                case PREPARE_TARGET -> target ? prepare(command) : notHere(command, "target");
                case TRANSFER -> target ? notHere(command, "source") : transfer(command);
                case ACTIVATE -> target ? activate(command) : notHere(command, "target");
                case CLEANUP_SOURCE -> target ? notHere(command, "source") : cleanUp(command);
                case ABORT -> target ? abortOnTarget(command) : abortOnSource(command);
            };
        } catch (DriverException e) {
            return StepOutcome.failed("DRIVER_ERROR", e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            // The spool mount gone or full: this step failed here, the agent goes on with the next command.
            return StepOutcome.failed("SPOOL_ERROR", e.getMessage() + ": " + e.getCause());
        }
    }

    private Optional<StepOutcome> methodRefused(MigrationCommand command, Optional<GuestPolicy> policy) {
        if (command.method() == MigrationMethod.SAVE_RESTORE && policy.map(GuestPolicy::neverRestart).orElse(false)) {
            return Optional.of(StepOutcome.failed("NEVER_RESTART", command.guestId() + " may never be restarted, and"
                    + " save → restore stops it: only a live migration may move it"));
        }
        DriverCapability needed = command.method() == MigrationMethod.LIVE ? DriverCapability.LIVE_MIGRATION
                : DriverCapability.SAVE_RESTORE;
        if (!driver.capabilities().contains(needed)) {
            return Optional.of(StepOutcome.failed("UNSUPPORTED_METHOD", "the " + driver.name() + " driver of "
                    + host.hostId() + " has no " + needed));
        }
        if (command.method() == MigrationMethod.SAVE_RESTORE && spool == null) {
            return Optional.of(StepOutcome.failed("UNSUPPORTED_METHOD", host.hostId()
                    + " has no migration spool directory configured (nuvola.agent.migration.spool-dir)"));
        }
        return Optional.empty();
    }

    private StepOutcome prepare(MigrationCommand command) {
        Optional<GuestState> here = driver.guest(command.guestId());
        if (reservations.holds(command.migrationId())) {
            return StepOutcome.done("room already reserved for " + command.guestId());
        }
        if (here.isPresent()) {
            return StepOutcome.failed("GUEST_ALREADY_HERE", command.guestId() + " is already defined on " + host.hostId());
        }
        HostCapacity capacity = driver.capacity();
        Allocation allocated = driver.allocation();
        long freeMemory = capacity.memoryMiB() - host.memoryReserveMiB() - allocated.memoryMiB() - reservations.memoryMiB();
        long freeVcpus = capacity.cpus() - allocated.vcpus() - reservations.vcpus();
        if (command.size().memoryMiB() > freeMemory || command.size().vcpus() > freeVcpus) {
            return StepOutcome.failed("INSUFFICIENT_HOST_CAPACITY", host.hostId() + " has " + Math.max(0, freeMemory)
                    + " MiB and " + Math.max(0, freeVcpus) + " vCPUs free, " + command.guestId() + " needs "
                    + command.size().memoryMiB() + " MiB and " + command.size().vcpus() + " vCPUs");
        }
        reservations.reserve(command.migrationId(), command.size());
        return StepOutcome.done("reserved " + command.size().memoryMiB() + " MiB and " + command.size().vcpus()
                + " vCPUs for " + command.guestId());
    }

    private StepOutcome transfer(MigrationCommand command) {
        Optional<GuestState> here = driver.guest(command.guestId());
        if (command.method() == MigrationMethod.LIVE) {
            if (here.isEmpty()) {
                // libvirt undefines the source when the move is done: a repeat finds it gone.
                return StepOutcome.done(command.guestId() + " is no longer on " + host.hostId() + ": moved");
            }
            if (!here.get().running()) {
                return StepOutcome.failed("GUEST_NOT_RUNNING", command.guestId() + " is not running on " + host.hostId());
            }
            driver.migrateLive(command.guestId(), targetUri(command.targetHostId()));
            return StepOutcome.done(command.guestId() + " moved live to " + command.targetHostId());
        }
        if (spool.exists(command.migrationId(), Stage.SAVED) || spool.exists(command.migrationId(), Stage.ACTIVATING)
                || spool.exists(command.migrationId(), Stage.ACTIVATED)) {
            return StepOutcome.done(command.guestId() + " was already saved for this migration");
        }
        if (here.isEmpty() || !here.get().running()) {
            return StepOutcome.failed("GUEST_NOT_RUNNING", command.guestId() + " is not running on " + host.hostId());
        }
        // Saved under a working name first: a file only becomes restorable once it is whole.
        spool.delete(command.migrationId(), Stage.SAVING);
        driver.save(command.guestId(), spool.path(command.migrationId(), Stage.SAVING));
        spool.move(command.migrationId(), Stage.SAVING, Stage.SAVED);
        return StepOutcome.done(command.guestId() + " saved and stopped on " + host.hostId());
    }

    private StepOutcome activate(MigrationCommand command) {
        Optional<GuestState> here = driver.guest(command.guestId());
        if (command.method() == MigrationMethod.LIVE) {
            if (here.isPresent() && here.get().running()) {
                reservations.release(command.migrationId());
                return StepOutcome.done(command.guestId() + " runs on " + host.hostId());
            }
            return StepOutcome.failed("GUEST_NOT_RUNNING", command.guestId() + " does not run on " + host.hostId()
                    + " after the transfer");
        }
        if (spool.exists(command.migrationId(), Stage.ACTIVATED) && here.isPresent() && here.get().running()) {
            reservations.release(command.migrationId());
            return StepOutcome.done(command.guestId() + " already runs on " + host.hostId());
        }
        if (!spool.move(command.migrationId(), Stage.SAVED, Stage.ACTIVATING)) {
            return StepOutcome.failed("NOT_SAVED", "no saved " + command.guestId() + " to start for migration "
                    + command.migrationId() + " (not transferred yet, or taken back by the source)");
        }
        String restored;
        try {
            restored = driver.restore(spool.path(command.migrationId(), Stage.ACTIVATING));
        } catch (DriverException e) {
            spool.move(command.migrationId(), Stage.ACTIVATING, Stage.SAVED);
            throw e;
        }
        spool.move(command.migrationId(), Stage.ACTIVATING, Stage.ACTIVATED);
        reservations.release(command.migrationId());
        if (!restored.equals(command.guestId())) {
            return StepOutcome.failed("WRONG_GUEST", "the saved file held " + restored + ", not " + command.guestId()
                    + "; it runs on " + host.hostId() + " now");
        }
        return StepOutcome.done(command.guestId() + " restored and running on " + host.hostId());
    }

    private StepOutcome cleanUp(MigrationCommand command) {
        Optional<GuestState> here = driver.guest(command.guestId());
        if (here.isPresent() && here.get().running()) {
            return StepOutcome.failed("GUEST_STILL_RUNNING", command.guestId() + " still runs on " + host.hostId()
                    + ": it is not removed");
        }
        if (command.method() == MigrationMethod.SAVE_RESTORE && (spool.exists(command.migrationId(), Stage.SAVED)
                || spool.exists(command.migrationId(), Stage.ACTIVATING))) {
            return StepOutcome.failed("NOT_ACTIVATED", command.guestId() + " does not run on the target yet");
        }
        if (here.isPresent()) {
            driver.undefine(command.guestId());
        }
        if (spool != null) {
            spool.delete(command.migrationId(), Stage.ACTIVATED);
        }
        return StepOutcome.done(command.guestId() + " removed from " + host.hostId());
    }

    private StepOutcome abortOnTarget(MigrationCommand command) {
        reservations.release(command.migrationId());
        if (command.method() == MigrationMethod.LIVE && driver.guest(command.guestId()).map(GuestState::running).orElse(false)) {
            return StepOutcome.failed("ACTIVE_ON_TARGET", command.guestId() + " was moved live and runs on "
                    + host.hostId() + "; the migration can only complete");
        }
        if (command.method() == MigrationMethod.SAVE_RESTORE && spool != null
                && (spool.exists(command.migrationId(), Stage.ACTIVATED) || spool.exists(command.migrationId(), Stage.ACTIVATING))) {
            return StepOutcome.failed("ACTIVE_ON_TARGET", command.guestId() + " already runs on " + host.hostId()
                    + "; stopping it would lose what it did since: the migration can only complete");
        }
        return StepOutcome.done("nothing of " + command.guestId() + " left on " + host.hostId());
    }

    private StepOutcome abortOnSource(MigrationCommand command) {
        Optional<GuestState> here = driver.guest(command.guestId());
        if (here.isPresent() && here.get().running()) {
            return StepOutcome.done(command.guestId() + " still runs on " + host.hostId());
        }
        if (command.method() == MigrationMethod.LIVE) {
            return StepOutcome.failed("ACTIVE_ON_TARGET", command.guestId() + " was moved live and no longer runs on "
                    + host.hostId());
        }
        if (spool.move(command.migrationId(), Stage.SAVED, Stage.ABORTING)
                || spool.exists(command.migrationId(), Stage.ABORTING)) {
            driver.restore(spool.path(command.migrationId(), Stage.ABORTING));
            spool.delete(command.migrationId(), Stage.ABORTING);
            return StepOutcome.done(command.guestId() + " restored and running on " + host.hostId() + " again");
        }
        if (spool.exists(command.migrationId(), Stage.ACTIVATING) || spool.exists(command.migrationId(), Stage.ACTIVATED)) {
            return StepOutcome.failed("ACTIVE_ON_TARGET", command.guestId() + " has been started on the target; the"
                    + " migration can only complete");
        }
        return StepOutcome.failed("GUEST_NOT_FOUND", command.guestId() + " neither runs on " + host.hostId()
                + " nor is saved for migration " + command.migrationId());
    }

    private StepOutcome notHere(MigrationCommand command, String role) {
        return StepOutcome.failed("WRONG_ROLE", command.step() + " runs on the " + role + " host, and "
                + host.hostId() + " is not it");
    }

    String targetUri(String targetHostId) {
        return host.targetUriTemplate().replace("{host}", targetHostId);
    }
}
