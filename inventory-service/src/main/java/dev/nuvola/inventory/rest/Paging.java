package dev.nuvola.inventory.rest;

import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.nuvola.kit.rest.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * Paging for every list: {@code ?page=} (from 0) and {@code ?size=} (1 to {@value #MAX_SIZE}, default
 * {@value #DEFAULT_SIZE}). The body stays a plain JSON array; the total is in {@code X-Total-Count} and the
 * neighbouring pages in an RFC 8288 {@code Link} header, so clients that ignore paging keep working.
 */
public record Paging(int page, int size) {
    public static final int DEFAULT_SIZE = 100;
    public static final int MAX_SIZE = 1000;
    public static final String TOTAL_HEADER = "X-Total-Count";

    public static Paging of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            throw ProblemException.badRequest("page must be 0 or more, got " + p);
        }
        if (s < 1 || s > MAX_SIZE) {
            throw ProblemException.badRequest("size must be between 1 and " + MAX_SIZE + ", got " + s);
        }
        return new Paging(p, s);
    }

    public <E, V> Response respond(PanacheQuery<E> query, Function<List<E>, List<V>> toViews, UriInfo uri) {
        long total = query.count();
        List<V> views = toViews.apply(query.page(page, size).list());
        return respond(views, total, uri);
    }

    /** For lists assembled in memory (already cut to this page). */
    public <V> Response respond(List<V> pageOfViews, long total, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(pageOfViews).header(TOTAL_HEADER, total);
        StringBuilder link = new StringBuilder();
        if (page > 0) {
            link.append(link(uri, page - 1, "prev"));
        }
        if ((long) (page + 1) * size < total) {
            link.append(link.length() > 0 ? ", " : "").append(link(uri, page + 1, "next"));
        }
        if (link.length() > 0) {
            response.header("Link", link.toString());
        }
        return response.build();
    }

    public <V> List<V> cut(List<V> all) {
        int from = (int) Math.min((long) page * size, all.size());
        return all.subList(from, Math.min(from + size, all.size()));
    }

    private String link(UriInfo uri, int target, String rel) {
        return "<" + uri.getRequestUriBuilder().replaceQueryParam("page", target).replaceQueryParam("size", size)
                .build() + ">; rel=\"" + rel + "\"";
    }
}
