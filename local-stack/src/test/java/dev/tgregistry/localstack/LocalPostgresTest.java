package dev.tgregistry.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalPostgresTest {

    @Test
    void temporaryServerAnswersAndHasPgTrgm() throws Exception {
        Path dataDir;
        try (LocalPostgres pg = LocalPostgres.start(0, null, "users")) {
            dataDir = pg.dataDir();
            assertTrue(pg.isTemporary());
            assertEquals("jdbc:postgresql://localhost:" + pg.port() + "/users", pg.jdbcUrl());
            assertEquals("postgresql://localhost:" + pg.port() + "/users", pg.reactiveUrl());
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                assertEquals("1", single(st, "select 1"));
                assertEquals("users", single(st, "select current_database()"));
                assertEquals("on", single(st, "show fsync"));
                assertEquals("on", single(st, "show synchronous_commit"));
                assertEquals("200", single(st, "show max_connections"));
                assertEquals("256MB", single(st, "show shared_buffers"));

                st.execute("create extension if not exists pg_trgm");
                // Unicode-aware ctype: Cyrillic letters form trigrams (with ctype C they would be dropped)
                assertEquals("t", single(st, "select similarity('Иван Петров', 'Иван Петровский') > 0.5"));
                assertEquals("иван", single(st, "select lower('ИВАН')"));
            }
        }
        assertFalse(Files.exists(dataDir), "temporary data dir is deleted on close");
    }

    @Test
    void persistentDataDirSurvivesRestart(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pgdata");
        long pid;
        try (LocalPostgres pg = LocalPostgres.start(0, dataDir, "users", Map.of("fsync", "off"))) {
            assertFalse(pg.isTemporary());
            pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                assertEquals("off", single(st, "show fsync"));
                st.execute("create table kept (id int primary key, name text)");
                st.execute("insert into kept values (1, 'survivor')");
            }
        }
        assertFalse(Postmaster.isProcessRunning(pid), "postmaster is gone after close()");
        assertTrue(Files.exists(dataDir.resolve("PG_VERSION")), "data dir is kept");

        try (LocalPostgres pg = LocalPostgres.start(0, dataDir, "users")) {
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                assertEquals("survivor", single(st, "select name from kept where id = 1"));
                assertEquals("on", single(st, "show fsync"));
            }
            pg.createDatabaseIfMissing("other");
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl("other"), pg.username(), pg.password());
                 Statement st = c.createStatement()) {
                assertEquals("other", single(st, "select current_database()"));
            }
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
