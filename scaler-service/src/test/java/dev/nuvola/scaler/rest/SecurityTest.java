package dev.nuvola.scaler.rest;

import java.util.Set;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.SecuredApiContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The platform's token rules on every operation of the scaler's API (SecuredApiContract). */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(NuvolaStackResource.class)
class SecurityTest extends SecuredApiContract {

    @Override
    protected Set<String> expectedOperations() {
        return Set.of("POST /api/v1/resizes", "GET /api/v1/decisions", "GET /api/v1/guests/some-id/recommendation");
    }
}
