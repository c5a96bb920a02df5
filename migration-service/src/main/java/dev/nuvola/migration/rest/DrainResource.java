package dev.nuvola.migration.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.nuvola.kit.security.Roles;
import dev.nuvola.migration.service.DrainService;

/** A host's evacuation for maintenance: start it, follow it, end the maintenance. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/hosts/{id}/drain")
@Produces(MediaType.APPLICATION_JSON)
public class DrainResource {

    /** @param concurrency how many migrations run at once; the configured default when absent */
    public record DrainOrder(Integer concurrency) {
    }

    private final DrainService drains;

    DrainResource(DrainService drains) {
        this.drains = drains;
    }

    /** 202: planned and started; 409 with the reason when the guests do not fit on the other hosts. */
    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@PathParam("id") String hostId, DrainOrder order) {
        return Response.accepted(drains.start(hostId, order == null ? null : order.concurrency())).build();
    }

    @GET
    public DrainService.Progress progress(@PathParam("id") String hostId) {
        return drains.latest(hostId);
    }

    @DELETE
    @RolesAllowed(Roles.OPERATOR)
    public DrainService.Progress end(@PathParam("id") String hostId) {
        return drains.end(hostId);
    }
}
