package dev.tgregistry.users.reachability;

import io.vertx.mutiny.sqlclient.Row;

/**
 * The two reachability flags every audience item carries, read from a {@code users} row aliased {@code u} (which a
 * LEFT JOIN may leave empty: a user the registry does not hold reads as active and not reachable by DM).
 */
public final class UserFlags {
    public static final String COLUMNS =
            ReachabilitySql.isActive("u") + " AS is_active, " + ReachabilitySql.reachableByDm("u") + " AS reachable_by_dm";

    private UserFlags() {
    }

    public static boolean isActive(Row row) {
        return row.getBoolean("is_active");
    }

    public static boolean reachableByDm(Row row) {
        return row.getBoolean("reachable_by_dm");
    }
}
