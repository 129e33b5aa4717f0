package dev.tgregistry.users.db;

import dev.tgregistry.web.ApiException;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.hibernate.exception.ConstraintViolationException;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backstop behind the request checks: a value PostgreSQL refuses is a 400, however deeply it was wrapped. */
class SqlErrorsTest {
    private final SqlErrors errors = new SqlErrors();

    @ParameterizedTest
    @ValueSource(strings = {"22021", "22P05", "22003", "22008"})
    void aRefusedValueIsA400(String sqlState) {
        Throwable wrapped = new CompletionException(new IllegalStateException("hibernate", refused(sqlState)));
        Optional<ApiException> answer = errors.asRefusedInput(wrapped);
        assertTrue(answer.isPresent(), sqlState);
        assertEquals(400, answer.get().status());
        assertEquals(sqlState, SqlErrors.databaseError(wrapped).getSqlState());
    }

    @Test
    void anythingElseStaysAServerError() {
        assertTrue(errors.asRefusedInput(refused("23505")).isEmpty(), "a constraint is the service's to answer");
        assertTrue(errors.asRefusedInput(refused("08006")).isEmpty(), "a lost connection is a 5xx");
        assertTrue(errors.asRefusedInput(new IllegalStateException("no database involved")).isEmpty());
    }

    @Test
    void aConstraintViolationIsRecognisedAsHibernateReportsIt() {
        Throwable hibernate = new CompletionException(new ConstraintViolationException("insert failed",
                new SQLException("duplicate key", "23505"), "user_profiles_nickname_uq"));
        assertTrue(SqlErrors.violates(hibernate, "23505", "user_profiles_nickname_uq"));
        assertFalse(SqlErrors.violates(hibernate, "23505", "user_profiles_pkey"), "another constraint");
        assertFalse(SqlErrors.violates(hibernate, "23503", "user_profiles_nickname_uq"), "another SQLSTATE");
        assertFalse(SqlErrors.violates(refused("23505"), "23505", "user_profiles_nickname_uq"), "no constraint named");
    }

    private static PgException refused(String sqlState) {
        return new PgException("refused", "ERROR", sqlState, null);
    }
}
