package dev.tgregistry.users.db;

import dev.tgregistry.web.ApiException;
import dev.tgregistry.web.InputFailures;
import io.vertx.pgclient.PgException;
import org.hibernate.exception.ConstraintViolationException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * The one reading of a PostgreSQL failure, for API requests and the consumers alike: its SQLSTATE (found however
 * deep the reactive client or Hibernate wrapped it) and, for the values a request can carry that PostgreSQL
 * refuses, the 400 that answers them instead of a 500.
 */
@ApplicationScoped
public class SqlErrors implements InputFailures {
    private static final Map<String, String> REFUSED_VALUES = Map.of(
            "22021", "text in the request holds a character that cannot be stored (NUL or invalid Unicode)",
            "22P05", "text in the request holds a character that cannot be stored (NUL or invalid Unicode)",
            "22003", "a number in the request is out of range",
            "22008", "a date or time in the request is out of range");

    /** The first database error in {@code failure}'s cause chain, or null when the failure did not come from PostgreSQL. */
    public static DatabaseException databaseError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException database && database.getSqlState() != null) {
                return database;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * The failure is PostgreSQL refusing a write for {@code constraint} with {@code sqlState} (23505 unique, 23503
     * foreign key), as the reactive client reports it or as Hibernate does (which keeps no client exception).
     */
    public static boolean violates(Throwable failure, String sqlState, String constraint) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof PgException pg && sqlState.equals(pg.getSqlState()) && constraint.equals(pg.getConstraint())) {
                return true;
            }
            if (cause instanceof ConstraintViolationException violation && sqlState.equals(violation.getSQLState())
                    && constraint.equals(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<ApiException> asRefusedInput(Throwable failure) {
        DatabaseException database = databaseError(failure);
        String refused = database == null ? null : REFUSED_VALUES.get(database.getSqlState());
        return Optional.ofNullable(refused).map(message -> new ApiException(400, message));
    }
}
