package dev.tgregistry.users;

import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.localstack.ServiceEnv;
import io.restassured.specification.RequestSpecification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static io.restassured.RestAssured.given;

/** What the user-service tests share: an authorised request and direct SQL against the test database's registry schema. */
public final class TestSupport {
    public static final String API_KEY = "test-api-key";

    private TestSupport() {
    }

    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + API_KEY);
    }

    public static Connection db() throws SQLException {
        return DriverManager.getConnection(ServiceEnv.registryJdbcUrl(PostgresResource.jdbcUrl()), PostgresResource.username(), PostgresResource.password());
    }

    /** Runs SQL statements (seed data, clean-up) in one transaction. */
    public static void sql(String... statements) {
        try (Connection connection = db(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String sql : statements) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single value a query returns, or null. */
    public static Object scalar(String query) {
        try (Connection connection = db(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            return result.next() ? result.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
