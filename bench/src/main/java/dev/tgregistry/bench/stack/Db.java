package dev.tgregistry.bench.stack;

import dev.tgregistry.bench.Bench;
import java.sql.Connection;
import java.sql.SQLException;

/** The suite's own database connection, reopened after PostgreSQL was stopped and started again. */
public final class Db implements AutoCloseable {

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Stack stack;
    private Connection connection;

    public Db(Stack stack) {
        this.stack = stack;
    }

    /** Runs {@code work}; on a failure reconnects and tries again until {@code timeoutMs} passed. */
    public synchronized <T> T run(Work<T> work, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        SQLException last = null;
        while (true) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = stack.connect();
                }
                return work.run(connection);
            } catch (SQLException | RuntimeException e) {
                last = e instanceof SQLException s ? s : new SQLException(e);
                closeQuietly();
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("database unavailable: " + last.getMessage(), last);
                }
                Bench.sleep(250);
            }
        }
    }

    /** The server's current WAL insert position in bytes ({@code pg_current_wal_lsn()}): differences = WAL written. */
    public static long walLsnBytes(Stack stack) throws SQLException {
        try (Connection c = stack.connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public <T> T run(Work<T> work) {
        return run(work, 60_000);
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
