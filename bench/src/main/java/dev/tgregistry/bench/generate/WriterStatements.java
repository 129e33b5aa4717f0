package dev.tgregistry.bench.generate;

import dev.tgregistry.users.consumer.UserSnapshots;
import dev.tgregistry.users.consumer.UserWriter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * user-service's own sighting statements ({@link UserWriter}) over JDBC: its {@code $n} parameters become JDBC's
 * {@code ?} (each is used once, in order, which {@link #jdbc} checks), executed with the parameters the writer builds
 * from {@link UserSnapshots}. The benchmarks that write sightings without the service use these, never a copy.
 */
public final class WriterStatements {
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

    private final Connection connection;
    private final PreparedStatement check;
    private final PreparedStatement upsert;
    private final PreparedStatement names;

    private WriterStatements(Connection connection, PreparedStatement check, PreparedStatement upsert, PreparedStatement names) {
        this.connection = connection;
        this.check = check;
        this.upsert = upsert;
        this.names = names;
    }

    /** The statements on {@code c}; the erasure check only where the schema has it (migration V16). */
    public static WriterStatements prepare(Connection c) throws SQLException {
        boolean hasCheck;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regprocedure('registry.check_erasures(bigint[])') IS NOT NULL")) {
            rs.next();
            hasCheck = rs.getBoolean(1);
        }
        return new WriterStatements(c, hasCheck ? c.prepareStatement(jdbc(UserWriter.CHECK_ERASURES)) : null,
                c.prepareStatement(jdbc(UserWriter.UPSERT_USERS)), c.prepareStatement(jdbc(UserWriter.RECORD_NAMES)));
    }

    /** {@code $1 ... $n} as {@code ?}; refuses a statement that uses one twice or out of order (JDBC binds by position). */
    static String jdbc(String sql) {
        Matcher m = PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        int expected = 1;
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) != expected++) {
                throw new IllegalArgumentException("parameter $" + m.group(1) + " out of order: " + sql);
            }
            m.appendReplacement(out, "?");
        }
        return m.appendTail(out).toString();
    }

    /** The erasure check (where present) and the users upsert of one batch, in the writer's order. */
    public void upsert(UserSnapshots batch) throws SQLException {
        List<Object> users = UserWriter.userParameters(batch.rows());
        if (check != null) {
            execute(check, List.of(users.get(0)));
        }
        execute(upsert, users);
    }

    /** The name-history statement of one batch (after {@link #upsert}). */
    public void recordNames(UserSnapshots batch) throws SQLException {
        execute(names, UserWriter.nameParameters(batch.names()));
    }

    private void execute(PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setArray(i + 1, array(parameters.get(i)));
        }
        ps.execute();
    }

    private Array array(Object column) throws SQLException {
        if (column instanceof Long[] v) {
            return connection.createArrayOf("bigint", v);
        }
        if (column instanceof Boolean[] v) {
            return connection.createArrayOf("boolean", v);
        }
        if (column instanceof String[] v) {
            return connection.createArrayOf("text", v);
        }
        if (column instanceof OffsetDateTime[] v) {
            // the statements cast each time array ($n::timestamptz[]): ISO text converts exactly
            return connection.createArrayOf("text", Arrays.stream(v).map(t -> t == null ? null : t.toString()).toArray(String[]::new));
        }
        throw new IllegalArgumentException("no SQL array for " + column.getClass());
    }
}
