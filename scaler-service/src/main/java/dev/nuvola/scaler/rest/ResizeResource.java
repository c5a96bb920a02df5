package dev.nuvola.scaler.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.nuvola.events.Check;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.scaler.logic.Decision;
import dev.nuvola.scaler.service.ScalingService;

/** Manual resizes: checked and carried out exactly as the scaler's own (resize, or migrations first). */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/resizes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ResizeResource {

    /**
     * @param memoryMiB the memory the guest should have; absent leaves it
     * @param vcpus     the vCPUs it should have; absent leaves them
     */
    public record ResizeRequest(@NotNull @ResourceId String guestId,
                                @Positive @Max(Check.MAX_MIB) Long memoryMiB,
                                @Positive @Max(Check.MAX_VCPUS) Integer vcpus,
                                @Size(max = 500) String reason) {
    }

    private final ScalingService scaling;

    ResizeResource(ScalingService scaling) {
        this.scaling = scaling;
    }

    @POST
    public Response resize(@Valid @NotNull ResizeRequest request) {
        if (request.memoryMiB() == null && request.vcpus() == null) {
            throw ProblemException.badRequest("give memoryMiB, vcpus or both");
        }
        try {
            Decision decision = scaling.requestResize(request.guestId(), request.memoryMiB(), request.vcpus(),
                    request.reason(), "operator");
            return Response.status(Response.Status.ACCEPTED).entity(decision).build();
        } catch (ScalingService.UnknownGuestException e) {
            throw ProblemException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }
}
