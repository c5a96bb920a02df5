package dev.nuvola.inventory.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.inventory.model.Host;
import dev.nuvola.kit.rest.ProblemException;
import io.quarkus.panache.common.Sort;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
public class HostResource {

    @GET
    public List<FleetViews.HostView> list() {
        return Host.<Host>listAll(Sort.by("id")).stream().map(FleetViews.HostView::of).toList();
    }

    @GET
    @Path("/{id}")
    public FleetViews.HostView get(@PathParam("id") String id) {
        Host host = Host.findById(id);
        if (host == null) {
            throw ProblemException.notFound("no host with id '" + id + "'");
        }
        return FleetViews.HostView.of(host);
    }
}
