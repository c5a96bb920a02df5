package dev.nuvola.devstack.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON calls to the platform's REST APIs with one bearer token, as an operator's script makes them: the demo's
 * scenario and the end-to-end tests. I/O failures are unchecked: a call that cannot be made ends what made it.
 */
public final class BearerHttp {
    private final HttpClient http = PlatformHttp.client();
    private final String token;

    public BearerHttp(String token) {
        this.token = token;
    }

    /** @param json the body, or null for none */
    public HttpResponse<String> send(String method, URI uri, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + uri, e);
        }
    }
}
