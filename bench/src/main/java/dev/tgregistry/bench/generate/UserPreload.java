package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.stack.Stack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Fills a fresh database with {@code n} users with {@link GenerateData}'s COPY loader and deferred indexes, without
 * events (bench/README.md, "bench/run ingest", preload). Run before user-service starts: its Flyway then finds every
 * migration applied.
 */
public final class UserPreload {
    private UserPreload() {
    }

    /** Returns the seconds it took. */
    public static double load(Stack stack, Path root, long n) throws Exception {
        long t0 = System.nanoTime();
        Bench.log(String.format(Locale.ROOT, "preload: %,d users into the fresh database", n));
        String url = stack.postgres().jdbcUrl();
        Path migrations = root.resolve("user-service/src/main/resources/db/migration");
        DataSchema.migrate(url, migrations, "2");
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            List<String> deferred = DataSchema.dropSecondaryIndexes(c, "users", "user_name_history");
            UsersWriter.copy(c, n, Instant.now());
            st.execute("INSERT INTO user_name_history (user_id, username, first_name, last_name, first_seen_at) "
                    + "SELECT user_id, username, first_name, last_name, first_seen_at FROM users "
                    + "WHERE username IS NOT NULL OR first_name IS NOT NULL");
            for (String ddl : deferred) {
                st.execute(ddl);
            }
        }
        DataSchema.migrate(url, migrations, null);
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Bench.log(String.format(Locale.ROOT, "preload: done in %.0f s", secs));
        return secs;
    }
}
