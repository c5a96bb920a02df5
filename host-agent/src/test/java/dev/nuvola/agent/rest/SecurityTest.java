package dev.nuvola.agent.rest;

import java.util.Set;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.agent.AgentTestProfile;
import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.SecuredApiContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The platform's token rules on every operation of the agent's API (SecuredApiContract). */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@TestProfile(AgentTestProfile.class)
@WithTestResource(NuvolaStackResource.class)
class SecurityTest extends SecuredApiContract {

    @Override
    protected Set<String> expectedOperations() {
        return Set.of("GET /api/v1/guests", "PUT /api/v1/simulation/guests/some-id/load");
    }
}
