package dev.nuvola.agent.driver;

/** A driver operation failed: the guest is gone, or the hypervisor or kernel refused. */
public class DriverException extends RuntimeException {
    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
