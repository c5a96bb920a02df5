package dev.nuvola.kit.security;

import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.nuvola.kit.rest.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Authentication and authorisation failures as RFC 9457 problems like every other error, saying what is
 * missing. Proactive authentication is off (application.properties), so an invalid token also arrives here
 * instead of being answered with an empty 401 before the request reaches these mappers.
 */
public class SecurityProblems {

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthorized("a bearer token is required (Authorization: Bearer <JWT>)");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized("the bearer token is not valid (signature, issuer or expiry)");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Response.Status.FORBIDDEN, "this needs role '" + Roles.OPERATOR
                + "' (reads need '" + Roles.VIEWER + "'); the token does not have it").toResponse();
    }

    /**
     * smallrye-jwt reads the verification key at the first token, and fails with a DeploymentException when it
     * cannot: the service is misconfigured, not the client (see {@link VerificationKeyCheck}).
     */
    @ServerExceptionMapper
    public Response noVerificationKey(DeploymentException e) {
        return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "tokens cannot be verified: the service has no readable "
                + "public key (mp.jwt.verify.publickey.location, NUVOLA_JWT_PUBLIC_KEY): " + e.getMessage()).toResponse();
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, detail).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
