package dev.nuvola.migration.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.events.GuestSize;
import dev.nuvola.events.MigrationMethod;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.security.Roles;
import dev.nuvola.migration.logic.placement.Placement;
import dev.nuvola.migration.service.PlacementService;

/** Where a guest of a given size would go now, and why: a dry run that reserves nothing. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/placement")
@Produces(MediaType.APPLICATION_JSON)
public class PlacementResource {

    public record PlacementView(String chosenHostId, MigrationMethod method, String reason, int hosts,
                                int passed, Map<String, Double> multipliers, List<Placement.Candidate> candidates) {
    }

    private final PlacementService placement;

    PlacementResource(PlacementService placement) {
        this.placement = placement;
    }

    /** Numbers arrive as text so that "lots" or "1.5" is a problem naming the parameter, not a bare 404. */
    @GET
    @Transactional
    public PlacementView dryRun(@QueryParam("memoryMiB") String memoryMiB, @QueryParam("vcpus") String vcpus,
                                @QueryParam("neverRestart") String neverRestart,
                                @QueryParam("antiAffinityGroup") String antiAffinityGroup) {
        long memory = number("memoryMiB", memoryMiB, 67_108_864);
        int cpus = (int) number("vcpus", vcpus, 4096);
        if (neverRestart != null && !neverRestart.equals("true") && !neverRestart.equals("false")) {
            throw ProblemException.badRequest("neverRestart must be true or false, got '" + neverRestart + "'");
        }
        Placement p = placement.dryRun(new GuestSize(memory, cpus), "true".equals(neverRestart),
                antiAffinityGroup == null || antiAffinityGroup.isBlank() ? null : antiAffinityGroup);
        List<Placement.Candidate> candidates = p.candidates();
        return new PlacementView(p.chosen().map(h -> h.hostId()).orElse(null), p.method(), p.reason(),
                candidates.size(), p.passedCount(), p.multipliers(), candidates);
    }

    private static long number(String name, String text, long max) {
        if (text == null || text.isBlank()) {
            throw ProblemException.badRequest(name + " is required");
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be a whole number, got '" + text + "'");
        }
        if (value < 1 || value > max) {
            throw ProblemException.badRequest(name + " must be between 1 and " + max + ", got " + value);
        }
        return value;
    }
}
