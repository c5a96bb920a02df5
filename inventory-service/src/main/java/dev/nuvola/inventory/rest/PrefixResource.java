package dev.nuvola.inventory.rest;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.ConstraintViolationException;

import dev.nuvola.inventory.logic.Ipv6Prefix;
import dev.nuvola.inventory.model.Prefix;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.inventory.service.PrefixService;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;

/** The IPv6 prefixes guests get their addresses from, per site or per host. */
@Path("/api/v1/prefixes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
public class PrefixResource {

    /**
     * @param prefix  such as {@code 2001:db8:42::/48}; IPv6 only, no host bits set, /16 to /120
     * @param scope   SITE or HOST
     * @param scopeId the site's name (the inventory's {@code nuvola.inventory.site}) or the host's id
     */
    public record PrefixRequest(@NotNull @Size(max = 64) String prefix,
                                @NotNull @Pattern(regexp = "SITE|HOST", message = "must be SITE or HOST") String scope,
                                @NotNull @ResourceId String scopeId) {
    }

    /** Found by the fuzzing (docs/reliability-rest.md): ::ffff:10.0.0.0/104 was taken as an IPv6 prefix. */
    private static final Ipv6Prefix IPV4_MAPPED = Ipv6Prefix.parse("::ffff:0:0/96");

    private final PrefixService prefixes;

    PrefixResource(PrefixService prefixes) {
        this.prefixes = prefixes;
    }

    @GET
    public Response list(@QueryParam("scope") String scope, @QueryParam("scopeId") String scopeId,
                         @QueryParam("page") Integer page, @QueryParam("size") Integer size, @Context UriInfo uri) {
        Paging paging = Paging.of(page, size);
        PanacheQuery<Prefix> query;
        if (scope != null && scopeId != null) {
            query = Prefix.find("scope = ?1 and scopeId = ?2", Sort.by("id"), parseScope(scope), scopeId);
        } else if (scope != null) {
            query = Prefix.find("scope", Sort.by("id"), parseScope(scope));
        } else if (scopeId != null) {
            query = Prefix.find("scopeId", Sort.by("id"), scopeId);
        } else {
            query = Prefix.findAll(Sort.by("id"));
        }
        return paging.respond(query, list -> list.stream().map(FleetViews.PrefixView::of).toList(), uri);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Response add(@Valid @NotNull(message = "a body {prefix, scope, scopeId} is required") PrefixRequest request) {
        Prefix.Scope scope = parseScope(request.scope());
        try {
            if (IPV4_MAPPED.overlaps(Ipv6Prefix.parse(request.prefix()))) {
                throw ProblemException.badRequest("prefix " + request.prefix() + " is IPv4-mapped (::ffff:0:0/96): "
                        + "its addresses are IPv4 ones; give an IPv6 prefix");
            }
            Prefix added = prefixes.add(request.prefix(), scope, request.scopeId());
            return Response.created(URI.create("/api/v1/prefixes?scopeId=" + added.scopeId))
                    .entity(FleetViews.PrefixView.of(added)).build();
        } catch (PrefixService.OverlapException e) {
            throw ProblemException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    /** Two requests adding overlapping prefixes at once: the database's exclusion constraint refused the second. */
    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response constraint(ConstraintViolationException e) {
        return dev.nuvola.kit.rest.Problem.of(Response.Status.CONFLICT,
                "the prefix overlaps or repeats one added at the same time: " + e.getConstraintName()).toResponse();
    }

    private static Prefix.Scope parseScope(String scope) {
        if (scope == null) {
            throw ProblemException.badRequest("scope is required: SITE or HOST");
        }
        try {
            return Prefix.Scope.valueOf(scope);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("scope must be SITE or HOST, got '" + scope + "'");
        }
    }
}
