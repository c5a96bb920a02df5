package dev.nuvola.migration.rest;

import java.util.Set;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.nuvola.devstack.test.NuvolaStackResource;
import dev.nuvola.devstack.test.RestOverIpv6;
import dev.nuvola.devstack.test.SecuredApiContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The platform's token rules on every operation of migration-service's API (SecuredApiContract). */
@QuarkusTest
@ExtendWith(RestOverIpv6.class)
@WithTestResource(value = NuvolaStackResource.class,
        initArgs = @ResourceArg(name = NuvolaStackResource.DATABASE, value = "nuvola_migration"))
class SecurityTest extends SecuredApiContract {

    @Override
    protected Set<String> expectedOperations() {
        return Set.of("POST /api/v1/migrations", "GET /api/v1/migrations", "GET /api/v1/migrations/some-id",
                "GET /api/v1/placement", "POST /api/v1/hosts/some-id/drain", "DELETE /api/v1/hosts/some-id/drain",
                "GET /api/v1/hosts/some-id/drain");
    }
}
