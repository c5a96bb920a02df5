package dev.nuvola.scaler.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.scaler.logic.Decision;
import dev.nuvola.scaler.logic.recommender.Recommendation;
import dev.nuvola.scaler.service.ScalingService;

@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/guests/{id}/recommendation")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    /** The recommender's view of a guest, with the last decision taken about it. */
    public record RecommendationView(Recommendation recommendation, Decision lastDecision) {
    }

    private final ScalingService scaling;

    RecommendationResource(ScalingService scaling) {
        this.scaling = scaling;
    }

    @GET
    public RecommendationView get(@PathParam("id") @ResourceId String id) {
        Recommendation recommendation = scaling.recommendation(id).orElseThrow(() -> ProblemException.notFound(
                "no samples of guest '" + id + "' on this scaler instance (unknown guest, or its partition is "
                        + "owned by another instance)"));
        List<Decision> last = scaling.decisions().latest(id, 1);
        return new RecommendationView(recommendation, last.isEmpty() ? null : last.get(0));
    }
}
