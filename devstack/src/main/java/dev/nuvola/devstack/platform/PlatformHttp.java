package dev.nuvola.devstack.platform;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client every devstack caller and system test uses to talk to the platform's services. */
public final class PlatformHttp {
    private PlatformHttp() {
    }

    /**
     * HTTP/1.1 on purpose: the JDK client's default (HTTP/2) asks a plain-http server to upgrade each new
     * connection (h2c), Quarkus accepts, and a clean-clone CI run once failed with "EOF reached while reading"
     * on such a connection. The services speak HTTP/1.1 to every other client we have, so test that.
     */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }
}
