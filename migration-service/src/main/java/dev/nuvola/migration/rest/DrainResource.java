package dev.nuvola.migration.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.nuvola.kit.rest.ResourceId;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.migration.service.DrainService;

/** A host's evacuation for maintenance: start it, follow it, end the maintenance. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/hosts/{id}/drain")
@Produces(MediaType.APPLICATION_JSON)
public class DrainResource {

    /**
     * @param concurrency how many migrations run at once; the configured default when absent. Below 1 is refused
     *                    by DrainService, whose problem names the value.
     */
    public record DrainOrder(@Max(MAX_CONCURRENCY) Integer concurrency) {
    }

    /** More at once than any host's network would carry: a typo, not a plan. */
    static final int MAX_CONCURRENCY = 64;

    private final DrainService drains;

    DrainResource(DrainService drains) {
        this.drains = drains;
    }

    /** 202: planned and started; 409 with the reason when the guests do not fit on the other hosts. */
    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@PathParam("id") @ResourceId String id, @Valid DrainOrder order) {
        return Response.accepted(drains.start(id, order == null ? null : order.concurrency())).build();
    }

    @GET
    public DrainService.Progress progress(@PathParam("id") @ResourceId String id) {
        return drains.latest(id);
    }

    @DELETE
    @RolesAllowed(Roles.OPERATOR)
    public DrainService.Progress end(@PathParam("id") @ResourceId String id) {
        return drains.end(id);
    }
}
