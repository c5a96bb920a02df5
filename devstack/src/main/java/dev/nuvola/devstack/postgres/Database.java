package dev.nuvola.devstack.postgres;

import dev.nuvola.devstack.Net;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server to use. A setting given by the user wins; otherwise an embedded PostgreSQL (zonky's
 * binaries, run as a child process) is started.
 *
 * <p>Settings, each read from a system property first, then from the environment variable of the same name:
 * {@value #URL_SETTING} (a JDBC URL), {@value #USER_SETTING}, {@value #PASSWORD_SETTING}.
 */
public final class Database implements AutoCloseable {
    public static final String URL_SETTING = "NUVOLA_DB_URL";
    public static final String USER_SETTING = "NUVOLA_DB_USER";
    public static final String PASSWORD_SETTING = "NUVOLA_DB_PASSWORD";

    /** The embedded server's superuser; it trusts local connections, so the password is never checked. */
    private static final String EMBEDDED_USER = "postgres";
    private static final String EMBEDDED_PASSWORD = "postgres";
    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    /** Names go into CREATE DATABASE unquoted, so only plain identifiers are accepted. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Thread stopAtExit;
    private boolean closed;

    private Database(String jdbcUrl, String username, String password, EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.embedded = embedded;
        if (embedded != null) {
            // Our own hook rather than zonky's: zonky's close() returns at once while another thread is still
            // stopping the server, whereas this close() waits for it, so "stopped" means stopped.
            stopAtExit = new Thread(this::close, "nuvola-postgres-stop");
            Runtime.getRuntime().addShutdownHook(stopAtExit);
        } else {
            stopAtExit = null;
        }
    }

    /** The user's server if {@value #URL_SETTING} is set, else a new embedded server on a free port. */
    public static Database resolve() {
        return resolve(0);
    }

    /** As {@link #resolve()}, with the port for an embedded server (0: a free one). */
    public static Database resolve(int embeddedPort) {
        return fromSettings().orElseGet(() -> startEmbedded(embeddedPort));
    }

    /** The user's server, if {@value #URL_SETTING} is set; starts nothing. */
    public static Optional<Database> fromSettings() {
        String url = setting(URL_SETTING);
        if (url == null) {
            return Optional.empty();
        }
        return Optional.of(external(url, setting(USER_SETTING), setting(PASSWORD_SETTING)));
    }

    /** A server that someone else runs; nothing to start or stop. {@code username}/{@code password} may be null. */
    public static Database external(String jdbcUrl, String username, String password) {
        if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException(URL_SETTING + " must start with " + JDBC_PREFIX + ": " + jdbcUrl);
        }
        return new Database(jdbcUrl, username, password, null);
    }

    /**
     * Starts an embedded PostgreSQL listening on both 127.0.0.1 and ::1; the URLs use [::1]. Listening on both is
     * needed anyway: zonky's readiness probe connects to the JVM's loopback address, which is ::1 under
     * -Djava.net.preferIPv6Addresses=true, while its JDBC check uses "localhost", which is IPv4-only here.
     */
    public static Database startEmbedded(int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", Net.IPV4_LOOPBACK + "," + Net.IPV6_LOOPBACK)
                    // A cold start unpacks the binaries first; 10 s (zonky's default) is tight on 2 slow cores.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            String url = JDBC_PREFIX + Net.hostPort(Net.IPV6_LOOPBACK, pg.getPort()) + "/postgres";
            return new Database(url, EMBEDDED_USER, EMBEDDED_PASSWORD, pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** May be null for a user-given server whose URL carries the credentials. */
    public String username() {
        return username;
    }

    /** May be null for a user-given server whose URL carries the credentials. */
    public String password() {
        return password;
    }

    /** True when this object started the server (and will stop it on close). */
    public boolean embedded() {
        return embedded != null;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    /**
     * Creates database {@code name} on this server unless it exists, and returns its JDBC URL (the server's URL
     * with the database replaced; query parameters kept). Lets each service own a database on one server.
     */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case database name: " + name);
        }
        try (Connection connection = connect()) {
            if (!exists(connection, name)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    // Another JVM may have created it since we looked: 42P04 is duplicate_database.
                    if (!"42P04".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " at " + jdbcUrl, e);
        }
        return urlFor(name);
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The JDBC URL of database {@code name} on this server. */
    public String urlFor(String name) {
        int hostStart = JDBC_PREFIX.length();
        int query = jdbcUrl.indexOf('?', hostStart);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        String beforeParams = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        int slash = beforeParams.indexOf('/', hostStart);
        String server = slash < 0 ? beforeParams : beforeParams.substring(0, slash);
        return server + "/" + name + params;
    }

    /**
     * Stops the embedded server (and deletes its data); does nothing for a user-given server. Also runs at JVM
     * exit if nobody called it, so that no postgres process outlives the JVM (unless the JVM is killed hard).
     */
    @Override
    public synchronized void close() {
        if (embedded == null || closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != stopAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook may run, and will find the server closed
            }
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Database[" + jdbcUrl + (embedded() ? ", embedded" : "") + "]";
    }
}
