package dev.nuvola.kit.rest;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import dev.nuvola.events.InvalidEventException;

/** Turns every failure of a request into RFC 9457 problem details, so no client ever sees a bare stack trace. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Problem.of(e.status(), e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidEventException e) {
        return badRequest(e);
    }

    /** A body that is not JSON, or whose values do not fit (a record's constructor refused them). */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof InvalidEventException invalid) {
            return badRequest(invalid);
        }
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof IllegalArgumentException illegal) {
            return Problem.of(Response.Status.BAD_REQUEST, illegal.getMessage()).toResponse();
        }
        return Problem.of(Response.Status.BAD_REQUEST, "the request body is not valid: " + e.getOriginalMessage())
                .toResponse();
    }

    /** A value of the wrong type ("lots" for a number): Quarkus has its own mapper for it, which is not a problem. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus REST wraps a body Jackson could not bind in a plain 400: keep the binding's own message.
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        return Problem.of(status, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Exception e) {
        LOG.error("request failed", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal error: " + e.getClass().getSimpleName())
                .toResponse();
    }

    private static Response badRequest(InvalidEventException e) {
        return Problem.of(Response.Status.BAD_REQUEST, e.getMessage())
                .withErrors(e.field() == null ? null : List.of(new Problem.FieldError(e.field(), e.getMessage())))
                .toResponse();
    }
}
