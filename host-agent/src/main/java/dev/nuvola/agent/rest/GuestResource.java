package dev.nuvola.agent.rest;

import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.service.NodeMonitor;
import dev.nuvola.kit.security.Roles;

/** The node's own view of its guests, read from the driver at the moment of the request. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
@Path("/api/v1/guests")
@Produces(MediaType.APPLICATION_JSON)
public class GuestResource {

    public record GuestView(String name, String hostId, String driver, boolean running, long memoryMiB,
                            long maxMemoryMiB, int vcpus, int maxVcpus, Long usedMiB,
                            Set<DriverCapability> capabilities) {
    }

    private final NodeMonitor monitor;
    private final GuestDriver driver;
    private final AgentConfig config;

    GuestResource(NodeMonitor monitor, GuestDriver driver, AgentConfig config) {
        this.monitor = monitor;
        this.driver = driver;
        this.config = config;
    }

    @GET
    public List<GuestView> list() {
        Set<DriverCapability> capabilities = driver.capabilities();
        return monitor.guests().stream()
                .map(g -> new GuestView(g.name(), config.hostId(), driver.name(), g.running(), g.memoryMiB(),
                        g.maxMemoryMiB(), g.vcpus(), g.maxVcpus(), g.hasUsage() ? g.usedMiB() : null, capabilities))
                .toList();
    }
}
