package dev.tgregistry.bench.query;

import dev.tgregistry.bench.Bench;
import dev.tgregistry.bench.generate.EventsWriter;
import dev.tgregistry.bench.generate.GenerateData;
import dev.tgregistry.bench.report.Report;
import dev.tgregistry.bench.stack.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Segments (issue 23, point 2): every {@link SegmentQueries} row measured by {@link QueryClient#measure} from one
 * client (server-side p99 against its target), the CSV of a large segment with user-service's RSS, the write cost
 * of the segment migrations' indexes and triggers per new user and per event, and the plans of the rows that missed.
 */
final class SegmentPhase {

    /** The migrations whose indexes and triggers serve the segments (their write cost is measured). */
    static final List<String> SEGMENT_MIGRATIONS = List.of("V17__segment_count_indexes.sql", "V23__profile_attribute_values.sql",
            "V24__language_user_counts.sql");
    private static final Pattern CREATE_INDEX = Pattern.compile("CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?"
            + "(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s+ON\\s+(?:registry\\.)?(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TRIGGER = Pattern.compile("CREATE\\s+TRIGGER\\s+(\\w+)\\s+[^;]*?\\s+ON\\s+(?:registry\\.)?(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final int WRITE_USERS = 20_000;
    private static final int EVENTS_PER_USER = 10;
    private static final int PROFILE_PERCENT = 30;
    private static final long WRITE_ID_BASE = 9_800_000_000L;
    /** Events of existing users as the events consumer writes them: statements of this many events (one batch). */
    private static final int CONSUMER_BATCH = 500;
    private static final int CONSUMER_BATCHES = 100;

    record Measured(SegmentQueries.Query query, QueryClient.Result result) {
        boolean pass() {
            return result.serverP99Ms() < query.kind().targetP99Ms;
        }
    }

    /**
     * Median milliseconds of one batch of new users (users, profiles, events) and of {@value #CONSUMER_BATCHES}
     * consumer-sized event statements for existing users; with and without the segment migrations' indexes and
     * triggers ({@code objects}: "index name" / "trigger name on table").
     */
    record WriteCost(List<String> objects, String sizes, double[] withMs, double[] withoutMs) {
    }

    private final Stack stack;
    private final QueryClient client;
    private final List<SegmentQueries.Query> queries = SegmentQueries.all(Instant.now());

    SegmentPhase(Stack stack, QueryClient client) {
        this.stack = stack;
        this.client = client;
    }

    void warmUp(int perQuery) throws Exception {
        Bench.log("segments: warm-up");
        for (SegmentQueries.Query q : queries) {
            client.measure("warm-up " + q.name(), perQuery, i -> client.get(q.pathAndQuery()), null);
        }
    }

    List<Measured> measure(int requests) throws Exception {
        Bench.log("segments: measuring " + queries.size() + " rows, " + requests + " requests each");
        List<Measured> out = new ArrayList<>();
        for (SegmentQueries.Query q : queries) {
            out.add(new Measured(q, client.measure(q.kind().label + ": " + q.name(), requests,
                    i -> client.get(q.pathAndQuery()), q.metricsUri())));
        }
        return out;
    }

    /** Timed inserts of {@value #WRITE_USERS} new users (30% with a profile, 10 events each), rolled back. */
    WriteCost writeCost(Path root) throws Exception {
        List<String[]> indexes = created(root, CREATE_INDEX);
        List<String[]> triggers = created(root, CREATE_TRIGGER);
        List<String> objects = new ArrayList<>();
        indexes.forEach(i -> objects.add("index " + i[0]));
        triggers.forEach(t -> objects.add("trigger " + t[0] + " on " + t[1]));
        Bench.log("segments: write cost of " + (objects.isEmpty() ? "no segment indexes or triggers" : String.join(", ", objects)));
        List<double[]> with = new ArrayList<>();
        List<double[]> without = new ArrayList<>();
        String sizes;
        try (Connection c = stack.connect()) {
            sizes = sizes(c, indexes);
            for (int rep = 0; rep < 4; rep++) {
                with.add(batch(c, List.of(), List.of()));
                if (!objects.isEmpty()) {
                    without.add(batch(c, indexes, triggers));
                }
            }
            GenerateData.reclaim(c, "users", "user_profiles", "profile_attribute_values", "events");
        }
        return new WriteCost(objects, sizes, median(with.subList(1, with.size())),
                objects.isEmpty() ? null : median(without.subList(1, without.size())));
    }

    /** {name, table} of every index or trigger the segment migrations create. */
    private static List<String[]> created(Path root, Pattern statement) throws IOException {
        List<String[]> found = new ArrayList<>();
        for (String migration : SEGMENT_MIGRATIONS) {
            Path file = root.resolve("user-service/src/main/resources/db/migration/" + migration);
            if (Files.isRegularFile(file)) {
                Matcher m = statement.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(new String[]{m.group(1), m.group(2)});
                }
            }
        }
        return found;
    }

    private static String sizes(Connection c, List<String[]> indexes) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_size_pretty(pg_relation_size(?::regclass)),"
                + " pg_size_pretty(pg_table_size(?::regclass)), (SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass)")) {
            for (String[] index : indexes) {
                ps.setString(1, index[0]);
                ps.setString(2, index[1]);
                ps.setString(3, index[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.add(index[0] + " " + rs.getString(1) + " (table " + index[1] + " " + rs.getString(2) + ", ~"
                            + String.format(Locale.ROOT, "%,d", rs.getLong(3)) + " rows)");
                }
            }
        }
        return String.join(", ", out);
    }

    /**
     * One batch in a transaction that is rolled back; {@code dropped} indexes are dropped and {@code disabled}
     * triggers disabled inside it first. Last, {@value #CONSUMER_BATCHES} statements of {@value #CONSUMER_BATCH}
     * events of existing users (skewed like the generated ones), each as the events consumer writes a batch.
     */
    private static double[] batch(Connection c, List<String[]> dropped, List<String[]> disabled) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String[] index : dropped) {
                st.execute("DROP INDEX " + index[0]);
            }
            for (String[] trigger : disabled) {
                st.execute("ALTER TABLE " + trigger[1] + " DISABLE TRIGGER " + trigger[0]);
            }
            long t0 = System.nanoTime();
            st.execute("INSERT INTO users (user_id, username, first_name, language_code, is_bot, is_premium, snapshot_at,"
                    + " language_at, is_active, first_seen_at, last_seen_at, private_chat_since, updated_at)"
                    + " SELECT " + WRITE_ID_BASE + " + g, 'wc_' || g, 'Name' || g, (ARRAY['ru','en','fa','uk'])[1 + g % 4],"
                    + " false, g % 20 = 0, now(), now(), true, now(), now(), now(), now() FROM generate_series(1, " + WRITE_USERS + ") g");
            long t1 = System.nanoTime();
            st.execute("INSERT INTO user_profiles (user_id, onboarding_completed, study_track, grade_band, grade_year, attributes)"
                    + " SELECT " + WRITE_ID_BASE + " + g, g % 2 = 0, (ARRAY['python','design'])[1 + g % 2], 'school', 2024 + g % 7,"
                    + " jsonb_build_object('plan', 'free', 'utm', jsonb_build_object('source', 'ads'))"
                    + " FROM generate_series(1, " + WRITE_USERS + ") g WHERE g % 100 < " + PROFILE_PERCENT);
            long t2 = System.nanoTime();
            st.execute("INSERT INTO events (user_id, event_type, details, created_at)"
                    + " SELECT " + WRITE_ID_BASE + " + 1 + g % " + WRITE_USERS + ","
                    + " (ARRAY['start_command','view_program','view_price','faq_opened','contact_admin'])[1 + g % 5], '{}', now()"
                    + " FROM generate_series(1, " + (WRITE_USERS * EVENTS_PER_USER) + ") g");
            long t3 = System.nanoTime();
            for (int b = 0; b < CONSUMER_BATCHES; b++) {
                st.execute("INSERT INTO events (event_id, user_id, event_type, details, created_at)"
                        + " SELECT 'wc:' || " + b + " || ':' || g, " + EventsWriter.skewedUser(1_000_000, 2) + ","
                        + " (ARRAY['start_command','view_program','lesson_link_clicked','view_price','faq_opened'])[1 + g % 5],"
                        + " '{}', now() FROM generate_series(1, " + CONSUMER_BATCH + ") g ON CONFLICT (event_id) DO NOTHING");
            }
            long t4 = System.nanoTime();
            return new double[]{(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6};
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static double[] median(List<double[]> runs) {
        double[] out = new double[runs.get(0).length];
        for (int k = 0; k < out.length; k++) {
            int col = k;
            double[] v = runs.stream().mapToDouble(r -> r[col]).sorted().toArray();
            out[k] = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
        return out;
    }

    static void writeTo(Report report, List<Measured> rows, CsvExportPhase.Run csv, WriteCost cost) {
        report.line("").line("### Segments (issue 23)").line("")
                .line("One client; each row " + (rows.isEmpty() ? 0 : rows.get(0).result().count()) + " requests of the same filter;"
                        + " p50/p99 client-side on loopback, 'server' = user-service's http.server.requests over the same requests"
                        + " (p99 from its histogram buckets); the target is held against the server p99.")
                .table("kind", "filter", "p50 ms", "p99 ms", "server mean ms", "server p99 ms", "SQL ms/req", "target p99", "verdict", "errors");
        for (Measured m : rows) {
            QueryClient.Result r = m.result();
            report.row(m.query().kind().label, "`" + m.query().name() + "`", Bench.fmt(Bench.ms(r.h(), 50)), Bench.fmt(Bench.ms(r.h(), 99)),
                    Bench.fmt(r.serverMeanMs()), Bench.fmt(r.serverP99Ms()), Bench.fmt(r.sqlMsPerRequest()),
                    "< " + Bench.fmt(m.query().kind().targetP99Ms) + " ms", Bench.passMiss(m.pass()), r.errors());
        }
        report.line("").line(String.format(Locale.ROOT, "CSV of `%s`: %,d rows, %s MB in %s s; user-service RSS max while it streamed"
                        + " %s MB (target < 300 MB): %s", SegmentQueries.CSV_PATH, csv.rows(), Bench.fmt(csv.mb()), Bench.fmt(csv.seconds()),
                Bench.fmt(csv.rssMb()), Bench.passMiss(csv.rssMb() < QueryTargets.TARGET_RSS_MB)));
        long single = rows.stream().filter(m -> m.query().kind() == SegmentQueries.Kind.SINGLE).count();
        report.line("").line(String.format(Locale.ROOT, "Summary: %d of %d rows PASS (singles %d/%d).",
                rows.stream().filter(Measured::pass).count(), rows.size(),
                rows.stream().filter(m -> m.query().kind() == SegmentQueries.Kind.SINGLE && m.pass()).count(), single));
        writeCost(report, cost);
        report.line("").line("Statements behind each row (pg_stat_statements):").line("");
        for (Measured m : rows) {
            report.line("- " + m.query().name() + ": " + m.result().sqlTop());
        }
    }

    private static void writeCost(Report report, WriteCost cost) {
        report.line("").line("#### Write cost of the segment indexes and triggers").line("")
                .line(String.format(Locale.ROOT, "%,d new users (INSERT … SELECT generate_series, one statement per table), %d%% of them"
                                + " with a profile, %d events each; then %d statements of %d events of existing users (skewed like the"
                                + " generated events, ON CONFLICT (event_id) DO NOTHING: the events consumer's batch statement); all in one"
                                + " transaction rolled back; median of 3 after one warm-up, alternating with what %s creates dropped"
                                + " (indexes) or disabled (triggers) inside the transaction: %s. Sizes: %s.",
                        WRITE_USERS, PROFILE_PERCENT, EVENTS_PER_USER, CONSUMER_BATCHES, CONSUMER_BATCH, String.join(" and ", SEGMENT_MIGRATIONS),
                        cost.objects().isEmpty() ? "none" : String.join(", ", cost.objects()),
                        cost.sizes().isEmpty() ? "-" : cost.sizes()))
                .table("rows", "with (ms)", "without (ms)", "added per new user (µs)", "added per event (µs)");
        String[] names = {"users (" + WRITE_USERS + ")", "user_profiles (" + WRITE_USERS * PROFILE_PERCENT / 100 + ")",
                "events of the new users (" + WRITE_USERS * EVENTS_PER_USER + ", one statement)"};
        double total = 0;
        for (int k = 0; k < 3; k++) {
            double without = cost.withoutMs() == null ? Double.NaN : cost.withoutMs()[k];
            double perUser = 1000 * (cost.withMs()[k] - without) / WRITE_USERS;
            total += cost.withoutMs() == null ? 0 : perUser;
            report.row(names[k], Bench.fmt(cost.withMs()[k]), Bench.fmt(without), Bench.fmt(perUser),
                    k == 2 ? Bench.fmt(1000 * (cost.withMs()[k] - without) / (WRITE_USERS * EVENTS_PER_USER)) : "");
        }
        double all = 1000 * (cost.withMs()[0] + cost.withMs()[1] + cost.withMs()[2]) / WRITE_USERS;
        report.row("new users in all", Bench.fmt(cost.withMs()[0] + cost.withMs()[1] + cost.withMs()[2]),
                cost.withoutMs() == null ? "-" : Bench.fmt(cost.withoutMs()[0] + cost.withoutMs()[1] + cost.withoutMs()[2]),
                Bench.fmt(total) + " (of " + Bench.fmt(all) + " µs per new user in all)", "");
        int consumerEvents = CONSUMER_BATCHES * CONSUMER_BATCH;
        double without = cost.withoutMs() == null ? Double.NaN : cost.withoutMs()[3];
        report.row("events of existing users (" + consumerEvents + " in " + CONSUMER_BATCHES + " statements)",
                Bench.fmt(cost.withMs()[3]), Bench.fmt(without), "",
                Bench.fmt(1000 * (cost.withMs()[3] - without) / consumerEvents) + " (of "
                        + Bench.fmt(1000 * cost.withMs()[3] / consumerEvents) + " µs per event in all)");
    }

    /** {description, request} of the rows that missed their target, slowest first; the three slowest if none did. */
    static List<String[]> planRequests(List<Measured> rows) {
        List<Measured> slow = rows.stream().filter(m -> !m.pass())
                .sorted(Comparator.comparingDouble((Measured m) -> -m.result().serverP99Ms())).toList();
        if (slow.isEmpty()) {
            slow = rows.stream().sorted(Comparator.comparingDouble((Measured m) -> -m.result().serverP99Ms())).limit(3).toList();
        }
        List<String[]> out = new ArrayList<>();
        for (Measured m : slow) {
            out.add(new String[]{String.format(Locale.ROOT, "`%s` (%s; server p99 %s ms, target < %s ms)", m.query().name(),
                    m.query().kind().label, Bench.fmt(m.result().serverP99Ms()), Bench.fmt(m.query().kind().targetP99Ms)),
                    m.query().pathAndQuery()});
        }
        return out;
    }
}
