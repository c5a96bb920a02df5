package dev.nuvola.inventory.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.nuvola.events.GuestPolicy;
import dev.nuvola.inventory.logic.PolicyRules;
import dev.nuvola.inventory.model.Guest;
import dev.nuvola.inventory.model.GuestAddress;
import dev.nuvola.inventory.model.GuestSample;
import dev.nuvola.inventory.model.MigrationStepRecord;
import dev.nuvola.inventory.model.ResizeRecord;
import dev.nuvola.inventory.model.ScalingPolicy;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.inventory.service.PolicyService;
import dev.nuvola.kit.rest.Problem;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

@Path("/api/v1/guests")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
public class GuestResource {
    private final PolicyService policies;

    GuestResource(PolicyService policies) {
        this.policies = policies;
    }

    /** @param hostId only the guests on this host */
    @GET
    public Response list(@QueryParam("host") String hostId, @QueryParam("page") Integer page,
                         @QueryParam("size") Integer size, @Context UriInfo uri) {
        Paging paging = Paging.of(page, size);
        PanacheQuery<Guest> query = hostId == null ? Guest.findAll(Sort.by("id"))
                : Guest.find("hostId", Sort.by("id"), hostId);
        return paging.respond(query, GuestResource::views, uri);
    }

    @GET
    @Path("/{id}")
    public FleetViews.GuestView get(@PathParam("id") @ResourceId String id) {
        return FleetViews.GuestView.of(find(id));
    }

    /** Resizes and migration events, oldest first, each with its reason. */
    @GET
    @Path("/{id}/history")
    public Response history(@PathParam("id") @ResourceId String id, @QueryParam("page") Integer page,
                            @QueryParam("size") Integer size, @Context UriInfo uri) {
        Paging paging = Paging.of(page, size);
        find(id);
        List<FleetViews.HistoryEntry> timeline = new ArrayList<>();
        ResizeRecord.ofGuest(id).forEach(r -> timeline.add(FleetViews.HistoryEntry.of(r)));
        MigrationStepRecord.ofGuest(id).forEach(m -> timeline.add(FleetViews.HistoryEntry.of(m)));
        timeline.sort(Comparator.comparing(FleetViews.HistoryEntry::at));
        return paging.respond(paging.cut(timeline), timeline.size(), uri);
    }

    /** The kept samples of the last {@code minutes} (default 30): the dashboard's chart. */
    @GET
    @Path("/{id}/samples")
    public List<FleetViews.SampleView> samples(@PathParam("id") @ResourceId String id, @QueryParam("minutes") Integer minutes) {
        find(id);
        int window = minutes == null ? 30 : minutes;
        if (window < 1 || window > 24 * 60) {
            throw ProblemException.badRequest("minutes must be between 1 and 1440, got " + window);
        }
        return GuestSample.ofGuestSince(id, java.time.Instant.now().minusSeconds(60L * window)).stream()
                .map(FleetViews.SampleView::of).toList();
    }

    @GET
    @Path("/{id}/policy")
    public GuestPolicy policy(@PathParam("id") @ResourceId String id) {
        ScalingPolicy policy = ScalingPolicy.findById(id);
        if (policy == null) {
            throw ProblemException.notFound("guest '" + id + "' has no policy of its own (the scaler's default applies)");
        }
        return policy.toEvent();
    }

    /**
     * Sets the guest's policy and publishes it on nuvola.guest-policies. Unknown fields are refused
     * (quarkus.jackson.fail-on-unknown-properties): a misspelt bound must not be silently ignored.
     */
    @PUT
    @Path("/{id}/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public GuestPolicy setPolicy(@PathParam("id") @ResourceId String id,
                                 @NotNull(message = "a policy is required as the JSON body") PolicyRules.Request request) {
        try {
            return policies.set(id, request);
        } catch (PolicyService.UnknownGuestException e) {
            throw ProblemException.notFound(e.getMessage());
        }
    }

    @ServerExceptionMapper
    public Response invalidPolicy(PolicyService.InvalidPolicyException e) {
        return Problem.of(Response.Status.BAD_REQUEST, e.getMessage())
                .withErrors(e.violations().stream().map(v -> new Problem.FieldError(v.field(), v.message())).toList())
                .toResponse();
    }

    private static List<FleetViews.GuestView> views(List<Guest> guests) {
        if (guests.isEmpty()) {
            return List.of();
        }
        Map<String, String> addresses = GuestAddress.<GuestAddress>list("guestId in :ids",
                        Parameters.with("ids", guests.stream().map(g -> g.id).toList())).stream()
                .collect(Collectors.toMap(a -> a.guestId, a -> a.address));
        return guests.stream().map(g -> FleetViews.GuestView.of(g, addresses.get(g.id))).toList();
    }

    private static Guest find(String id) {
        Guest guest = Guest.findById(id);
        if (guest == null) {
            throw ProblemException.notFound("no guest with id '" + id + "'");
        }
        return guest;
    }
}
