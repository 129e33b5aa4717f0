package dev.tgregistry.bench.cost;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.GenerateData;
import dev.tgregistry.bench.generate.Names;
import dev.tgregistry.bench.generate.WriterStatements;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.Stack;
import dev.tgregistry.model.TelegramUser;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.consumer.UserSnapshots;
import dev.tgregistry.users.consumer.UserWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What a new user costs PostgreSQL (issue 25, point 1): user-service's own sighting statements
 * ({@link UserWriter#UPSERT_USERS}, {@link UserWriter#RECORD_NAMES}, with the parameters the writer builds from
 * {@link UserSnapshots}) for never-seen users, in batches, on the generated 1M-user registry; CPU time of the
 * PostgreSQL backend that ran them (from /proc), WAL bytes, and wall time, each run in a transaction rolled back.
 */
public final class NewUserCost {

    static final String USAGE = String.join("\n",
            "usage: bench/run cost [options]",
            "  --root DIR        repository root (default .)",
            "  --data-dir DIR    generated registry (default bench/target/bench-data; see bench/run generate)",
            "  --new-users N     new users per run (default 50000)",
            "  --batch N         users per batch, as the sightings consumer writes them (default 2000)",
            "  --runs N          measured runs, after one warm-up run (default 5)",
            "  --without LIST    what a variant leaves out, inside each run's transaction (so rolled back with it),",
            "                    comma-separated: trigger:TABLE.NAME (disabled) or index:NAME (dropped); the effect of one piece");

    private static final long FIRST_USER = 9_900_000_000L;
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** One run: backend CPU and wall time per statement, WAL written. */
    record Run(double upsertCpuUs, double namesCpuUs, double wallMs, long walBytes) {
    }

    private final Path root;
    private final Path dataDir;
    private final GenerateData.Params params;
    private final int users;
    private final int batch;
    private final int runs;
    private final List<String> without;
    private final Report report = new Report();

    NewUserCost(Bench.Args a) {
        root = Path.of(a.string("root", ".")).toAbsolutePath().normalize();
        dataDir = root.resolve(a.string("data-dir", "bench/target/bench-data")).toAbsolutePath().normalize();
        params = GenerateData.params(a);
        users = a.integer("new-users", 50_000);
        batch = a.integer("batch", 2_000);
        runs = a.integer("runs", 5);
        String w = a.string("without", "");
        without = w.isBlank() ? List.of() : List.of(w.split(","));
        a.done();
    }

    public static void main(String[] args) throws Exception {
        new NewUserCost(new Bench.Args(args, USAGE)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Stack.requirePortsFree(Stack.PG_PORT);
        Properties data = GenerateData.ensure(root, dataDir, params, false);
        List<UserSnapshots> batches = batches();
        List<Run> measured = new ArrayList<>();
        try (Stack s = new Stack(root, root.resolve("bench/target/bench-logs/cost"), "")) {
            s.startPostgres(dataDir.resolve("postgres"), Map.of());
            try (Connection c = s.connect()) {
                c.setAutoCommit(false);
                long backend = backendPid(c);
                WriterStatements writer = WriterStatements.prepare(c);
                c.commit();
                String header = "users " + count(c, "users") + ", name history rows " + count(c, "user_name_history");
                Bench.log("new-user cost: " + header + "; warm-up run");
                once(c, backend, writer, batches);
                for (int i = 1; i <= runs; i++) {
                    Run r = once(c, backend, writer, batches);
                    measured.add(r);
                    Bench.log(String.format(Locale.ROOT, "run %d: %.1f µs CPU per new user (users %.1f, names %.1f), %.0f ms, %,d WAL bytes",
                            i, r.upsertCpuUs() + r.namesCpuUs(), r.upsertCpuUs(), r.namesCpuUs(), r.wallMs(), r.walBytes()));
                }
                write(data, header, measured);
                GenerateData.reclaim(c, "users", "user_name_history");
            }
        }
        report.publish(root, "cost", Report.Copy.toCommit(without.isEmpty() ? null : "cost-variants"));
    }

    /** The sightings of {@link #users} new users, one private-chat message each, batched as the consumer would. */
    private List<UserSnapshots> batches() {
        Names names = new Names(25);
        Instant now = Instant.now();
        List<UserSnapshots> out = new ArrayList<>();
        for (int from = 0; from < users; from += batch) {
            List<UserSeen> sightings = new ArrayList<>();
            for (int i = from; i < Math.min(users, from + batch); i++) {
                Names.Person p = names.telegramUser();
                TelegramUser user = new TelegramUser(FIRST_USER + i, false, p.username(), p.firstName(), p.lastName(),
                        p.languageCode(), i % 20 == 0);
                sightings.add(UserSeen.of(user, now.minusMillis(users - i), new UserSeen.Source((long) i, "message"), null,
                        UserSeen.VIA_PRIVATE_CHAT));
            }
            out.add(UserSnapshots.of(sightings));
        }
        return out;
    }

    private Run once(Connection c, long backend, WriterStatements writer, List<UserSnapshots> batches) throws Exception {
        leaveOut(c);
        long upsertTicks = 0;
        long namesTicks = 0;
        long wal0 = walLsn(c);
        long t0 = System.nanoTime();
        for (UserSnapshots b : batches) {
            long before = cpuTicks(backend);
            writer.upsert(b);
            long middle = cpuTicks(backend);
            writer.recordNames(b);
            long after = cpuTicks(backend);
            upsertTicks += middle - before;
            namesTicks += after - middle;
        }
        double wallMs = (System.nanoTime() - t0) / 1e6;
        long walBytes = walLsn(c) - wal0;
        c.rollback();
        double usPerTick = 1e6 / CLOCK_TICKS_PER_SECOND;
        return new Run(upsertTicks * usPerTick / users, namesTicks * usPerTick / users, wallMs, walBytes / users);
    }

    private void leaveOut(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String piece : without) {
                String[] kind = piece.trim().split(":", 2);
                switch (kind[0]) {
                    case "trigger" -> {
                        String[] table = kind[1].split("\\.", 2);
                        st.execute("ALTER TABLE " + table[0] + " DISABLE TRIGGER " + table[1]);
                    }
                    case "index" -> st.execute("DROP INDEX " + kind[1]);
                    default -> throw new IllegalArgumentException("--without: trigger:TABLE.NAME or index:NAME, not " + piece);
                }
            }
        }
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long cpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long backendPid(Connection c) throws SQLException {
        return single(c, "SELECT pg_backend_pid()");
    }

    private static long walLsn(Connection c) throws SQLException {
        return single(c, "SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn");
    }

    private static long count(Connection c, String table) throws SQLException {
        return single(c, "SELECT count(*) FROM " + table);
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void write(Properties data, String header, List<Run> measured) {
        double[] total = measured.stream().mapToDouble(r -> r.upsertCpuUs() + r.namesCpuUs()).sorted().toArray();
        report.line("## What a new user costs PostgreSQL").line("")
                .line("- date: " + Instant.now() + "; machine: " + Bench.machine() + "; load at the start: " + Bench.loadAverage())
                .line("- code: `" + Bench.commit(root) + "`")
                .line("- left out (inside each run's transaction): " + (without.isEmpty() ? "nothing" : String.join(", ", without)))
                .line("- data: " + header + " (generated " + data.getProperty("generated_at") + ")")
                .line(String.format(Locale.ROOT, "- %,d never-seen users per run, one private-chat sighting each, in batches of %,d through"
                        + " user-service's own statements (`UserWriter.CHECK_ERASURES` where the schema has it, `UPSERT_USERS`, `RECORD_NAMES`, prepared once by `WriterStatements`, parameters from"
                        + " `UserWriter.userParameters`/`nameParameters`); each run one transaction, rolled back; one warm-up run first."
                        + " CPU = utime + stime of the PostgreSQL backend that ran them (/proc, 10 ms ticks), per new user.", users, batch))
                .table("run", "CPU µs per new user", "of it: erasure check + users upsert", "of it: name history", "wall ms", "WAL bytes per new user");
        for (int i = 0; i < measured.size(); i++) {
            Run r = measured.get(i);
            report.row(i + 1, Bench.fmt(r.upsertCpuUs() + r.namesCpuUs()), Bench.fmt(r.upsertCpuUs()), Bench.fmt(r.namesCpuUs()),
                    Bench.fmt(r.wallMs()), r.walBytes());
        }
        double median = total[total.length / 2];
        report.line("").line(String.format(Locale.ROOT, "**Median %s µs of PostgreSQL CPU per new user** (min %s, max %s); target ≤ 40: %s",
                Bench.fmt(median), Bench.fmt(total[0]), Bench.fmt(total[total.length - 1]), Bench.passMiss(median <= 40)));
    }
}
