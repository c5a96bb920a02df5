package dev.nuvola.devstack.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceProcessTest {
    private static final Path AGENT = Path.of("/repo/host-agent/target/quarkus-app");
    private static final Path SCALER = Path.of("/repo/scaler-service/target/quarkus-app");
    private static final Path INVENTORY = Path.of("/repo/inventory-service/target/quarkus-app");

    @AfterEach
    void clear() {
        System.clearProperty(ServiceProcess.JVM_OPTIONS);
        System.clearProperty(ServiceProcess.JVM_OPTIONS + ".host-agent");
        System.clearProperty(ServiceProcess.JVM_OPTIONS + ".host-agent-2");
    }

    @Test
    void agentsKeepTheSmallHeapAndCentralServicesAHeapWithRoom() {
        assertEquals(ServiceProcess.AGENT_JVM_OPTIONS, ServiceProcess.jvmOptions("host-agent-1", AGENT));
        assertEquals(ServiceProcess.AGENT_JVM_OPTIONS, ServiceProcess.jvmOptions("bench-host", AGENT));
        assertEquals(ServiceProcess.SCALER_JVM_OPTIONS, ServiceProcess.jvmOptions("scaler-service", SCALER));
        assertEquals(ServiceProcess.SCALER_JVM_OPTIONS, ServiceProcess.jvmOptions("scaler", SCALER));
        assertEquals(ServiceProcess.SERVICE_JVM_OPTIONS, ServiceProcess.jvmOptions("inventory", INVENTORY));
    }

    @Test
    void aServicesOwnOptionsWinOverItsKindsAndEveryones() {
        System.setProperty(ServiceProcess.JVM_OPTIONS, "-Xmx1g");
        System.setProperty(ServiceProcess.JVM_OPTIONS + ".host-agent", "-Xmx64m");
        System.setProperty(ServiceProcess.JVM_OPTIONS + ".host-agent-2", "-Xmx32m");
        assertEquals("-Xmx64m", ServiceProcess.jvmOptions("host-agent-1", AGENT));
        assertEquals("-Xmx32m", ServiceProcess.jvmOptions("host-agent-2", AGENT));
        assertEquals("-Xmx1g", ServiceProcess.jvmOptions("scaler-service", SCALER));
    }
}
