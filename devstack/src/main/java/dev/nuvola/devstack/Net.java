package dev.nuvola.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

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

    /**
     * A port that is free on {@code host} right now. Bound on the very address the server will use, because a
     * port free on 127.0.0.1 may be taken on ::1 and vice versa. Another process can still grab it before we
     * bind it again; for a dev stack that race is acceptable.
     */
    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bareHost(host)), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
