package dev.nuvola.migration.rest;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.nuvola.events.MigrationState;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.migration.model.Migration;
import io.quarkus.panache.common.Sort;

@Path("/api/v1/migrations")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

    public record MigrationView(String id, String requestId, String guestId, String sourceHostId,
                                String targetHostId, MigrationState state, String reason, String requestedBy,
                                long requiredMemoryMiB, int requiredVcpus, Instant requestedAt, Instant updatedAt) {
        static MigrationView of(Migration m) {
            return new MigrationView(m.id, m.requestId, m.guestId, m.sourceHostId, m.targetHostId, m.state, m.reason,
                    m.requestedBy, m.requiredMemoryMiB, m.requiredVcpus, m.requestedAt, m.updatedAt);
        }
    }

    @GET
    @Path("/{id}")
    public MigrationView get(@PathParam("id") String id) {
        Migration migration = Migration.findById(id);
        if (migration == null) {
            throw ProblemException.notFound("no migration with id '" + id + "'");
        }
        return MigrationView.of(migration);
    }

    /** The state arrives as text: bound to the enum, an unknown name would be a 404 instead of a 400. */
    @GET
    public List<MigrationView> list(@Parameter(schema = @Schema(implementation = MigrationState.class))
                                    @QueryParam("state") String state) {
        List<Migration> migrations = state == null
                ? Migration.listAll(Sort.by("requestedAt"))
                : Migration.list("state", Sort.by("requestedAt"), parseState(state));
        return migrations.stream().map(MigrationView::of).toList();
    }

    private static MigrationState parseState(String state) {
        try {
            return MigrationState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + Arrays.toString(MigrationState.values())
                    + ", got '" + state + "'");
        }
    }
}
