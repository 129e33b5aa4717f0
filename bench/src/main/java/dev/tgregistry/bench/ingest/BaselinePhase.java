package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.localstack.ServiceEnv;

import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The ingest benchmark's (c) baseline, the original bot's write path: bench/README.md, "bench/run ingest". */
final class BaselinePhase {

    private static final long BASELINE_BASE = 8_000_000_000L;

    private final IngestBenchmark b;
    private final int baseline;

    BaselinePhase(IngestBenchmark bench, int baseline) {
        this.b = bench;
        this.baseline = baseline;
    }

    double run() throws SQLException {
        Bench.log("baseline: " + baseline + " upserts, a new connection each");
        try (Connection c = b.stack.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bench_original_users (user_id BIGINT PRIMARY KEY, username TEXT, first_name TEXT,"
                    + " last_name TEXT, language_code TEXT, first_seen_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now())");
            st.execute("CREATE INDEX bench_original_users_username ON bench_original_users (username)");
            st.execute("CREATE INDEX bench_original_users_first_name ON bench_original_users (first_name)");
        }
        String url = ServiceEnv.registryJdbcUrl(b.stack.postgres().jdbcUrl());
        String sql = "INSERT INTO bench_original_users (user_id, username, first_name, last_name, language_code, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username,"
                + " first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,"
                + " language_code = EXCLUDED.language_code, updated_at = now()";
        int warm = Math.min(200, baseline / 10);
        Histogram h = Bench.histogram();
        long t0 = 0;
        for (int i = -warm; i < baseline; i++) {
            if (i == 0) {
                t0 = System.nanoTime();
            }
            Names.Person p = b.names.telegramUser();
            long s0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, BASELINE_BASE + warm + i);
                    ps.setString(2, p.username());
                    ps.setString(3, p.firstName());
                    ps.setString(4, p.lastName());
                    ps.setString(5, p.languageCode());
                    ps.executeUpdate();
                }
                c.commit();
            }
            if (i >= 0) {
                h.recordValue(Math.max(1, (System.nanoTime() - s0) / 1000));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double ratePerSec = baseline / secs;
        try (Connection c = b.stack.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE bench_original_users");
        }
        Bench.log(String.format(Locale.ROOT, "  baseline: %,.0f upserts/s", ratePerSec));
        b.report.line("").line(String.format(Locale.ROOT, "### (c) Baseline: the original bot's upsert, %,d updates", baseline))
                .line("")
                .line("New JDBC connection per update, one single-row `INSERT ... ON CONFLICT (user_id) DO UPDATE`, commit,"
                        + " close; one thread, same PostgreSQL (fsync on, synchronous_commit on), into a table shaped like the"
                        + " original `users` (primary key + btree on username and first_name); " + warm + " warm-up upserts first.")
                .table("measure", "value")
                .row("rate", String.format(Locale.ROOT, "**%,.0f updates/s** (%.2f s)", ratePerSec, secs))
                .row("per update p50 / p99", Bench.fmt(Bench.ms(h, 50)) + " / " + Bench.fmt(Bench.ms(h, 99)) + " ms");
        return ratePerSec;
    }
}
