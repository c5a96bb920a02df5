package dev.nuvola.inventory.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.nuvola.events.HostState;
import dev.nuvola.inventory.model.Host;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import dev.nuvola.kit.security.Roles;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
public class HostResource {

    /** @param state only hosts in this state (ACTIVE, DRAINING, DOWN) */
    @GET
    public Response list(@QueryParam("state") String state, @QueryParam("page") Integer page,
                         @QueryParam("size") Integer size, @Context UriInfo uri) {
        Paging paging = Paging.of(page, size);
        PanacheQuery<Host> query = state == null ? Host.findAll(Sort.by("id"))
                : Host.find("state", Sort.by("id"), parseState(state));
        return paging.respond(query, hosts -> hosts.stream().map(FleetViews.HostView::of).toList(), uri);
    }

    @GET
    @Path("/{id}")
    public FleetViews.HostView get(@PathParam("id") @ResourceId String id) {
        Host host = Host.findById(id);
        if (host == null) {
            throw ProblemException.notFound("no host with id '" + id + "'");
        }
        return FleetViews.HostView.of(host);
    }

    private static HostState parseState(String state) {
        try {
            return HostState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + List.of(HostState.values()) + ", got '"
                    + state + "'");
        }
    }
}
