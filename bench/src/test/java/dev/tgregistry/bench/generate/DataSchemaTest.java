package dev.tgregistry.bench.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which cached data sets a checkout may migrate forward, and which belong to another branch. */
class DataSchemaTest {
    @TempDir
    Path root;

    private void migration(String name, String sql) throws IOException {
        Path dir = root.resolve("user-service/src/main/resources/db/migration");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), sql);
    }

    @Test
    void dataOfAnOlderCheckoutIsMigratedForward() throws IOException {
        migration("V1__a.sql", "SELECT 1;");
        String stored = DataSchema.migrationFiles(root);
        migration("V2__b.sql", "SELECT 2;");
        assertTrue(DataSchema.onlyAdded(root, stored));
        assertEquals("V2__b.sql", DataSchema.addedSince(root, stored));
        assertEquals("", DataSchema.unknownHere(root, stored));
    }

    @Test
    void dataWithAMigrationThisCheckoutLacksOrChangedIsAnotherBranchs() throws IOException {
        migration("V1__a.sql", "SELECT 1;");
        migration("V2__b.sql", "SELECT 2;");
        String stored = DataSchema.migrationFiles(root);
        Files.delete(root.resolve("user-service/src/main/resources/db/migration/V2__b.sql"));
        migration("V1__a.sql", "SELECT 10;");
        assertEquals("V1__a.sql V2__b.sql", DataSchema.unknownHere(root, stored));
        assertFalse(DataSchema.onlyAdded(root, stored));
    }
}
