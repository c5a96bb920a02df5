package dev.nuvola.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Small address helpers shared by the broker, the database and the launcher. */
public final class Net {
    public static final String IPV4_LOOPBACK = "127.0.0.1";
    public static final String IPV6_LOOPBACK = "::1";

    private Net() {
    }

    /** Accepts "::1" as well as "[::1]" so that callers may pass either form. */
    public static String bareHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    /** The host as it must appear before ":port" in URLs and Kafka listeners: IPv6 literals need brackets. */
    public static String urlHost(String host) {
        String bare = bareHost(host);
        return bare.contains(":") ? "[" + bare + "]" : bare;
    }

    public static String hostPort(String host, int port) {
        return urlHost(host) + ":" + port;
    }

    /** Every port {@link #freePort} has handed out in this JVM. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    /**
     * A port that is free on {@code host} right now, and not handed out before by this JVM. Bound on the very address
     * the server will use, because a port free on 127.0.0.1 may be taken on ::1 and vice versa. The kernel may give
     * the same port twice while the first taker has not bound it yet: a test run once started the scaler and the
     * migration service on one port, and requests for one reached the other. Another process can still grab a port
     * before we bind it again; for a dev stack that race is acceptable.
     */
    public static int freePort(String host) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = anyFreePort(host);
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no port on " + host + " that was not handed out before, in 100 tries");
    }

    private static int anyFreePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bareHost(host)), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
