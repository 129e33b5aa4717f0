package dev.tgregistry.bench.stack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples pg_stat_activity every {@code periodMillis} on its own connection and counts what the services' active
 * backends are doing (wait event, or "CPU" when none), plus how often none of them is running a statement at
 * all: a cheap picture of where PostgreSQL time goes during a phase. The benchmark's own sessions are excluded.
 */
public final class WaitSampler implements AutoCloseable {
    private static final String SQL = "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity"
            + " WHERE datname = current_database() AND state = 'active' AND backend_type = 'client backend'"
            + " AND application_name NOT LIKE 'bench%' AND pid <> pg_backend_pid()";

    private final Map<String, Integer> counts = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;
    private int idleSamples;

    public WaitSampler(Stack stack, long periodMillis) {
        thread = new Thread(() -> {
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                st.execute("SET application_name = 'bench-sampler'");
                while (running) {
                    int active = 0;
                    synchronized (this) {
                        try (ResultSet rs = st.executeQuery(SQL)) {
                            while (rs.next()) {
                                counts.merge(rs.getString(1), 1, Integer::sum);
                                active++;
                            }
                        }
                        samples++;
                        if (active == 0) {
                            idleSamples++;
                        }
                    }
                    Thread.sleep(periodMillis);
                }
            } catch (SQLException | InterruptedException e) {
                // stopped
            }
        }, "pg-wait-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** "no statement running 40%; CPU 35%, IO:WALSync 20%, ..." (shares of samples). */
    public synchronized String summary() {
        if (samples == 0) {
            return "no samples";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d samples; no service statement running in %.0f%%;"
                + " service backends seen", samples, 100.0 * idleSamples / samples));
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.0f%%,", k, 100.0 * v / samples)));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
