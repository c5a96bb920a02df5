package dev.nuvola.inventory.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.ResizeRecord;
import dev.nuvola.kit.rest.ProblemException;
import io.quarkus.panache.common.Sort;

@Path("/api/v1/guests")
@Produces(MediaType.APPLICATION_JSON)
public class GuestResource {

    @GET
    public List<FleetViews.GuestView> list(@QueryParam("host") String hostId) {
        List<Guest> guests = hostId == null ? Guest.listAll(Sort.by("id")) : Guest.onHost(hostId);
        return guests.stream().map(FleetViews.GuestView::of).toList();
    }

    @GET
    @Path("/{id}")
    public FleetViews.GuestView get(@PathParam("id") String id) {
        return FleetViews.GuestView.of(find(id));
    }

    @GET
    @Path("/{id}/history")
    public List<FleetViews.HistoryEntry> history(@PathParam("id") String id) {
        find(id);
        return ResizeRecord.ofGuest(id).stream().map(FleetViews.HistoryEntry::of).toList();
    }

    private static Guest find(String id) {
        Guest guest = Guest.findById(id);
        if (guest == null) {
            throw ProblemException.notFound("no guest with id '" + id + "'");
        }
        return guest;
    }
}
