package dev.nuvola.devstack.postgres;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** URL handling of a user-given server; nothing is started or connected. */
class DatabaseUrlTest {

    @Test
    void replacesTheDatabaseAndKeepsTheParameters() {
        Database db = Database.external("jdbc:postgresql://[::1]:5432/postgres?sslmode=disable", "u", "p");
        assertFalse(db.embedded());
        assertEquals("jdbc:postgresql://[::1]:5432/migration?sslmode=disable", db.urlFor("migration"));
    }

    @Test
    void addsADatabaseToAUrlWithoutOne() {
        assertEquals("jdbc:postgresql://db.example:5432/inventory",
                Database.external("jdbc:postgresql://db.example:5432", null, null).urlFor("inventory"));
        assertEquals("jdbc:postgresql://db.example/inventory?user=x",
                Database.external("jdbc:postgresql://db.example/?user=x", null, null).urlFor("inventory"));
    }

    @Test
    void refusesNonPostgresUrls() {
        assertThrows(IllegalArgumentException.class, () -> Database.external("jdbc:h2:mem:x", null, null));
    }
}
