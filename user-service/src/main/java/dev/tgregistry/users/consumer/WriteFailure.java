package dev.tgregistry.users.consumer;

import dev.tgregistry.users.db.SqlErrors;
import io.vertx.sqlclient.DatabaseException;

import java.util.Set;

/**
 * What a failed batch write means. A <em>data error</em> is PostgreSQL refusing what some record holds (SQLSTATE
 * classes 21 cardinality, 22 data exception, 23 integrity constraint, 42 syntax or access rule, 44 check option,
 * 54 program limit such as an index row too large): retrying cannot help, so the offending record is isolated and
 * dead-lettered. Anything else (connection loss, 08 connection, 53 resources, 57P operator intervention, 40001
 * serialization, 40P01 deadlock, 25006 read-only transaction, a pool timeout) is transient and retried.
 */
public record WriteFailure(String sqlState, String message) {
    private static final Set<String> DATA_CLASSES = Set.of("21", "22", "23", "42", "44", "54");

    public static WriteFailure of(Throwable failure) {
        DatabaseException database = SqlErrors.databaseError(failure);
        if (database != null) {
            return new WriteFailure(database.getSqlState(), messageOf(database));
        }
        return new WriteFailure(null, failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    public boolean isDataError() {
        return sqlState != null && sqlState.length() == 5 && DATA_CLASSES.contains(sqlState.substring(0, 2));
    }

    /** PostgreSQL's primary message only: its DETAIL may quote row values (names), which must not reach the log. */
    private static String messageOf(DatabaseException database) {
        if (database instanceof io.vertx.pgclient.PgException pg && pg.getErrorMessage() != null) {
            return pg.getErrorMessage();
        }
        return database.getMessage();
    }
}
