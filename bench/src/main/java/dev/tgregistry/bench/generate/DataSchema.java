package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.localstack.ServiceEnv;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** user-service's schema for bulk loads: its Flyway migrations (and which files they were), secondary indexes dropped and recreated. */
public final class DataSchema {

    private DataSchema() {
    }

    /** "name:hash" of every migration file, comma-separated (hash: first 16 hex digits of its SHA-256). */
    static String migrationFiles(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : migrationPaths(root)) {
            out.add(f.getFileName() + ":" + sha256(Files.readAllBytes(f)));
        }
        return String.join(",", out);
    }

    /** True when {@code stored} (see {@link #migrationFiles}) is non-empty and every file in it is still there, unchanged. */
    static boolean onlyAdded(Path root, String stored) throws IOException {
        if (stored.isBlank()) {
            return false;
        }
        List<String> now = List.of(migrationFiles(root).split(","));
        return now.containsAll(List.of(stored.split(","))) && !addedSince(root, stored).isEmpty();
    }

    /** Names of the migration files not in {@code stored}. */
    static String addedSince(Path root, String stored) throws IOException {
        return namesMissing(migrationFiles(root), stored);
    }

    /** Names of the files in {@code stored} that this checkout does not have as they were (another branch's data). */
    static String unknownHere(Path root, String stored) throws IOException {
        return stored.isBlank() ? "" : namesMissing(stored, migrationFiles(root));
    }

    /** Names of the entries of {@code entries} ("name:hash", comma-separated) that {@code other} does not hold. */
    private static String namesMissing(String entries, String other) {
        List<String> held = List.of(other.split(","));
        List<String> missing = new ArrayList<>();
        for (String entry : entries.split(",")) {
            if (!held.contains(entry)) {
                missing.add(entry.substring(0, entry.indexOf(':')));
            }
        }
        return String.join(" ", missing);
    }

    private static List<Path> migrationPaths(Path root) throws IOException {
        try (var stream = Files.list(root.resolve("user-service/src/main/resources/db/migration"))) {
            return stream.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** user-service's migrations with the settings its application.properties gives Quarkus' Flyway. */
    static void migrate(String url, Path migrations, String target) {
        Bench.log("  Flyway migrate" + (target == null ? "" : " up to V" + target) + " from " + migrations);
        var config = Flyway.configure()
                .dataSource(url, "postgres", "postgres")
                .locations("filesystem:" + migrations)
                .placeholders(Map.of("legacy_time_zone", "UTC"))
                .schemas(ServiceEnv.REGISTRY_SCHEMA)
                .defaultSchema(ServiceEnv.REGISTRY_SCHEMA)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .validateOnMigrate(true);
        // as user-service's SessionMigrationLock: V14 builds indexes CONCURRENTLY, which an open lock transaction blocks
        config.getPluginRegister().getPlugin(org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        if (target != null) {
            config.target(target);
        }
        config.load().migrate();
    }

    /** Drops every index that is not a primary key and returns the statements that recreate them as they were. */
    public static List<String> dropSecondaryIndexes(Connection c, String... tables) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                + "FROM pg_index i WHERE i.indrelid = ?::regclass AND NOT i.indisprimary");
             Statement st = c.createStatement()) {
            for (String t : tables) {
                ps.setString(1, t);
                List<String[]> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
                for (String[] f : found) {
                    st.execute("DROP INDEX " + f[0]);
                    ddl.add(f[1]);
                }
            }
        }
        return ddl;
    }
}
