package dev.nuvola.scaler.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.nuvola.scaler.messaging.ScalingInputs;

/** Ready once the input loop polls; down for good if it stopped on a record it could not handle. */
@Readiness
@ApplicationScoped
public class InputsReadiness implements HealthCheck {
    private final ScalingInputs inputs;

    InputsReadiness(ScalingInputs inputs) {
        this.inputs = inputs;
    }

    @Override
    public HealthCheckResponse call() {
        String failure = inputs.failure();
        return HealthCheckResponse.named("scaler-inputs")
                .status(inputs.polling())
                .withData("failure", failure == null ? "none" : failure)
                .build();
    }
}
