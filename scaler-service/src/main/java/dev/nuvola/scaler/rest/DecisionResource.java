package dev.nuvola.scaler.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.scaler.logic.Decision;
import dev.nuvola.scaler.service.ScalingService;

/** What the scaler decided, and why. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {
    static final int MAX_LIMIT = 1000;

    private final ScalingService scaling;

    DecisionResource(ScalingService scaling) {
        this.scaling = scaling;
    }

    @GET
    public List<Decision> list(@QueryParam("guest") String guest, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        return scaling.decisions().latest(guest, limit);
    }
}
