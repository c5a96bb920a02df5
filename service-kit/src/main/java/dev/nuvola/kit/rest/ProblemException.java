package dev.nuvola.kit.rest;

import jakarta.ws.rs.core.Response;

/** Thrown by resources to answer with a problem: a status and a message that says what is wrong. */
public class ProblemException extends RuntimeException {
    private final Response.Status status;

    public ProblemException(Response.Status status, String detail) {
        super(detail);
        this.status = status;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Response.Status.CONFLICT, detail);
    }

    public Response.Status status() {
        return status;
    }
}
