package dev.tgregistry.users.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Rows of {@code audit_log}: who (an API key id) erased, exported or adopted what, when, and a summary without personal data. */
@ApplicationScoped
public class AuditLog {
    public static final String ERASE = "erase";
    public static final String EXPORT = "export";
    static final String INSERT = "INSERT INTO audit_log (occurred_at, caller, action, user_id, details) VALUES ($1, $2, $3, $4, $5)";

    /** {@code client}: the pool, or the connection of the transaction the row belongs to. */
    public Uni<Void> record(SqlClient client, String caller, String action, long userId, Instant at, String details) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.of(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), caller, action, userId, details))
                .replaceWithVoid();
    }
}
