package dev.nuvola.devstack.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DatabaseTest {
    private static Database database;

    @BeforeAll
    static void start() {
        assumeTrue(Database.fromSettings().isEmpty(), "NUVOLA_DB_URL is set: this test is about the embedded server");
        database = Database.resolve();
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void embeddedServerAnswersOverIpv6() throws SQLException {
        assertTrue(database.embedded());
        assertTrue(database.jdbcUrl().matches("jdbc:postgresql://\\[::1]:\\d+/postgres"), database.jdbcUrl());
        try (Connection connection = database.connect()) {
            assertEquals(1, selectOne(connection));
        }
    }

    @Test
    void embeddedServerAnswersOverIpv4Too() throws SQLException {
        String ipv4 = database.jdbcUrl().replace("[::1]", "127.0.0.1");
        try (Connection connection = DriverManager.getConnection(ipv4, database.username(), database.password())) {
            assertEquals(1, selectOne(connection));
        }
    }

    @Test
    void createsADatabaseOnceAndReturnsItsUrl() throws SQLException {
        String url = database.createDatabase("inventory_test");
        assertTrue(url.endsWith("/inventory_test"), url);
        assertEquals(url, database.createDatabase("inventory_test"), "second call must reuse it");
        try (Connection connection = DriverManager.getConnection(url, database.username(), database.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            assertEquals("inventory_test", rows.getString(1));
        }
    }

    @Test
    void rejectsNamesThatAreNotPlainIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> database.createDatabase("x; DROP DATABASE postgres"));
        assertThrows(IllegalArgumentException.class, () -> database.createDatabase("Inventory"));
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
