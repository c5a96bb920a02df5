package dev.nuvola.agent.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The saved guest of a save → move → restore migration, in a directory both hosts share. Who may start the
 * guest from it is decided by atomic renames, so that the target's ACTIVATE and the source's ABORT can never
 * both start it, whatever order they arrive in and however often they are retried (SPEC safety rule 3):
 * <pre>
 *   SAVING ──(save done)──▶ SAVED ──(target claims)──▶ ACTIVATING ──(restored)──▶ ACTIVATED
 *                            │  ▲                         │
 *                            │  └──(restore failed)───────┘
 *                            └──(source claims, for ABORT)──▶ ABORTING ──(restored on the source)──▶ gone
 * </pre>
 * A file in SAVED or ABORTING, or ACTIVATING, is a guest that runs nowhere: it is never deleted by a step.
 */
public final class SpoolHandoff {

    public enum Stage {
        SAVING, SAVED, ACTIVATING, ACTIVATED, ABORTING;

        String suffix() {
            return "." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Path directory;

    public SpoolHandoff(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the migration spool " + directory, e);
        }
    }

    public Path path(String migrationId, Stage stage) {
        if (!migrationId.matches("[A-Za-z0-9._:-]+") || migrationId.startsWith(".")) {
            throw new IllegalArgumentException("migration id " + migrationId + " cannot name a spool file");
        }
        return directory.resolve(migrationId + stage.suffix());
    }

    public boolean exists(String migrationId, Stage stage) {
        return Files.exists(path(migrationId, stage));
    }

    /** Moves the file from one stage to the next; false when it is not in {@code from} (someone else has it). */
    public boolean move(String migrationId, Stage from, Stage to) {
        try {
            Files.move(path(migrationId, from), path(migrationId, to), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("the migration spool " + directory + " must allow atomic renames", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + path(migrationId, from) + " to stage " + to, e);
        }
    }

    public void delete(String migrationId, Stage stage) {
        try {
            Files.deleteIfExists(path(migrationId, stage));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path(migrationId, stage), e);
        }
    }
}
