package dev.nuvola.migration.rest;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.nuvola.events.Check;
import dev.nuvola.events.GuestSize;
import dev.nuvola.events.HostGuest;
import dev.nuvola.events.HostStatus;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.events.MigrationRequest;
import dev.nuvola.events.MigrationState;
import dev.nuvola.events.MigrationStep;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.migration.model.Migration;
import dev.nuvola.migration.service.FleetView;
import dev.nuvola.migration.service.MigrationIntake;
import io.quarkus.panache.common.Sort;

@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/migrations")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

    public record MigrationView(String id, String requestId, String guestId, String sourceHostId,
                                String targetHostId, MigrationState state, String reason, String requestedBy,
                                long requiredMemoryMiB, int requiredVcpus, Instant requestedAt, Instant updatedAt,
                                MigrationMethod method, MigrationStep step, String stepHostId, int attempt,
                                Instant stepDeadline, MigrationState failedIn, String drainId) {
        static MigrationView of(Migration m) {
            return new MigrationView(m.id, m.requestId, m.guestId, m.sourceHostId, m.targetHostId, m.state, m.reason,
                    m.requestedBy, m.requiredMemoryMiB, m.requiredVcpus, m.requestedAt, m.updatedAt, m.method, m.step,
                    m.stepHostId, m.attempt, m.stepDeadline, m.failedIn, m.drainId);
        }
    }

    /**
     * An operator's migration. Only the guest is required: its source is the host whose status lists it, its
     * size what that status says, the target what placement chooses. A request id makes a retried POST
     * return the migration the first one created.
     */
    public record MigrationOrder(@NotNull @ResourceId String guestId, @ResourceId String sourceHostId,
                                 @ResourceId String targetHostId, @Positive @Max(Check.MAX_MIB) Long memoryMiB,
                                 @Positive @Max(Check.MAX_VCPUS) Integer vcpus, @Size(max = 500) String reason,
                                 @ResourceId String requestId) {
    }

    private final MigrationIntake intake;
    private final FleetView fleet;

    MigrationResource(MigrationIntake intake, FleetView fleet) {
        this.intake = intake;
        this.fleet = fleet;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull MigrationOrder order) {
        HostStatus source = order.sourceHostId() == null
                ? fleet.hostOf(order.guestId()).orElseThrow(() -> ProblemException.notFound(
                        "no host lists guest '" + order.guestId() + "'; name its sourceHostId"))
                : fleet.host(order.sourceHostId()).orElseThrow(() -> ProblemException.notFound(
                        "no host with id '" + order.sourceHostId() + "' has published a status"));
        if (source.hostId().equals(order.targetHostId())) {
            throw ProblemException.badRequest("targetHostId must differ from the source " + source.hostId());
        }
        if (order.targetHostId() != null && fleet.host(order.targetHostId()).isEmpty()) {
            throw ProblemException.notFound("no host with id '" + order.targetHostId() + "' has published a status");
        }
        HostGuest listed = source.guests().stream().filter(g -> g.guestId().equals(order.guestId())).findFirst()
                .orElse(null);
        if ((order.memoryMiB() == null || order.vcpus() == null) && listed == null) {
            throw ProblemException.badRequest("host " + source.hostId() + " does not list guest '" + order.guestId()
                    + "': give memoryMiB and vcpus");
        }
        GuestSize size = new GuestSize(order.memoryMiB() != null ? order.memoryMiB() : listed.memoryMiB(),
                order.vcpus() != null ? order.vcpus() : listed.vcpus());
        MigrationRequest request = new MigrationRequest(
                order.requestId() == null ? UUID.randomUUID().toString() : order.requestId(), order.guestId(),
                source.hostId(), order.reason() == null || order.reason().isBlank() ? "operator request" : order.reason(),
                "operator", size, order.targetHostId(), Instant.now());
        Migration migration = intake.acceptAndPlan(request, null);
        return Response.created(URI.create("/api/v1/migrations/" + migration.id))
                .entity(MigrationView.of(migration)).build();
    }

    @GET
    @Path("/{id}")
    public MigrationView get(@PathParam("id") @ResourceId String id) {
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
