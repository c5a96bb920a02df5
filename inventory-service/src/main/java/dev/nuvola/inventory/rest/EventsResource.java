package dev.nuvola.inventory.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.nuvola.kit.security.Roles;
import dev.nuvola.inventory.service.FleetFeed;
import io.smallrye.mutiny.Multi;

/** The live feed as server-sent events: one JSON {@link FleetFeed.Change} per committed change. */
@Path("/api/v1/events")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
public class EventsResource {
    private final FleetFeed feed;

    EventsResource(FleetFeed feed) {
        this.feed = feed;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<FleetFeed.Change> events() {
        return feed.stream();
    }
}
