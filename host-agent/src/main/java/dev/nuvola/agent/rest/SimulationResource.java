package dev.nuvola.agent.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.simulation.SimulatedWorkload;
import dev.nuvola.agent.service.UsageSource;
import dev.nuvola.events.Check;
import dev.nuvola.kit.rest.ProblemException;
import dev.nuvola.kit.rest.ResourceId;
import dev.nuvola.kit.security.Roles;

/** Sets a simulated guest's load. Only on libvirt's test driver: real guests are never simulated. */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/simulation/guests/{name}/load")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SimulationResource {
    private final UsageSource usage;
    private final GuestDriver driver;

    SimulationResource(UsageSource usage, GuestDriver driver) {
        this.usage = usage;
        this.driver = driver;
    }

    /**
     * The body, both fields required: bound to {@link SimulatedWorkload.Load} itself, whose fields are primitives,
     * an empty object set the guest's load to zero.
     */
    public record LoadRequest(@NotNull @PositiveOrZero @Max(Check.MAX_MIB) Long workingSetMiB,
                              @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double cpuUsage) {
    }

    @PUT
    public SimulatedWorkload.Load set(@PathParam("name") @ResourceId String name,
                                      @Valid @NotNull(message = "a body {\"workingSetMiB\": N, \"cpuUsage\": F} is required")
                                      LoadRequest request) {
        if (!usage.simulated()) {
            throw ProblemException.conflict("simulation is off: this agent drives real guests");
        }
        // NaN passes every range check, Load's own included.
        if (request.cpuUsage().isNaN()) {
            throw ProblemException.badRequest("cpuUsage must be a fraction from 0.0 to 1.0, got NaN");
        }
        SimulatedWorkload.Load load = new SimulatedWorkload.Load(request.workingSetMiB(), request.cpuUsage());
        if (driver.guest(name).isEmpty()) {
            throw ProblemException.notFound("no guest named '" + name + "' on this host");
        }
        usage.simulation().set(name, load);
        return load;
    }
}
