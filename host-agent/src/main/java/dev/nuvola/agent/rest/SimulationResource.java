package dev.nuvola.agent.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.simulation.SimulatedWorkload;
import dev.nuvola.agent.service.UsageSource;
import dev.nuvola.kit.rest.ProblemException;
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

    @PUT
    public SimulatedWorkload.Load set(@PathParam("name") String name, SimulatedWorkload.Load load) {
        if (!usage.simulated()) {
            throw ProblemException.conflict("simulation is off: this agent drives real guests");
        }
        if (load == null) {
            throw ProblemException.badRequest("a body {\"workingSetMiB\": N, \"cpuUsage\": F} is required");
        }
        if (driver.guest(name).isEmpty()) {
            throw ProblemException.notFound("no guest named '" + name + "' on this host");
        }
        usage.simulation().set(name, load);
        return load;
    }
}
