package dev.nuvola.kit.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

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

    /**
     * A body or parameter that breaks its Bean Validation constraints: 400 naming each field. Closer to the
     * exception than quarkus-hibernate-validator's own mapper (for ValidationException, a non-problem JSON report),
     * so this one answers. A violated return value is the service's fault, not the client's: 500.
     */
    @ServerExceptionMapper
    public Response violated(ConstraintViolationException e) {
        if (e.getConstraintViolations().stream().anyMatch(ProblemMappers::ofReturnValue)) {
            return unexpected(e);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        String detail = String.join("; ", errors.stream().map(f -> f.field() + " " + f.message()).toList());
        return Problem.of(Response.Status.BAD_REQUEST, detail).withErrors(errors).toResponse();
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

    private static boolean ofReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name a client knows: a body's field as {@code memoryMiB} (not {@code resize.request.memoryMiB}), a path
     * or query parameter by its Java name, which the resources keep equal to the URI template's.
     */
    static String field(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                names.add(node.getName());
            }
        }
        if (names.isEmpty()) {
            for (Path.Node node : path) {
                if (node.getKind() == ElementKind.PARAMETER) {
                    names.add(node.getName());
                }
            }
        }
        return names.isEmpty() ? path.toString() : String.join(".", names);
    }

    private static Response badRequest(InvalidEventException e) {
        return Problem.of(Response.Status.BAD_REQUEST, e.getMessage())
                .withErrors(e.field() == null ? null : List.of(new Problem.FieldError(e.field(), e.getMessage())))
                .toResponse();
    }
}
