package dev.nuvola.agent.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import dev.nuvola.agent.config.AgentConfig;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.migration.Reservations;
import dev.nuvola.agent.driver.cgroup.CgroupDriver;
import dev.nuvola.agent.driver.libvirt.LibvirtDriver;

@ApplicationScoped
public class DriverProducer {

    @Produces
    @ApplicationScoped
    GuestDriver driver(AgentConfig config) {
        return switch (config.driver()) {
            case "libvirt" -> new LibvirtDriver(config.libvirt().uri());
            case "cgroup" -> new CgroupDriver(config.cgroup().root(), config.cgroup().parent());
            default -> throw new IllegalArgumentException("nuvola.agent.driver must be libvirt or cgroup, got '"
                    + config.driver() + "'");
        };
    }

    /** Room held for guests on their way here: counted as taken by resizes, the host status and other migrations. */
    @Produces
    @ApplicationScoped
    Reservations reservations() {
        return new Reservations();
    }

    void close(@Disposes GuestDriver driver) {
        driver.close();
    }
}
