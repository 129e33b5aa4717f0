package dev.tgregistry.users.web;

import io.vertx.mutiny.sqlclient.Row;

/** {@code @username}, else "first last", else {@code User <id>}: never "Unknown". */
public final class DisplayName {
    private DisplayName() {
    }

    public static String of(long userId, String username, String firstName, String lastName) {
        if (present(username)) {
            return "@" + username.strip();
        }
        String name = ((present(firstName) ? firstName.strip() : "") + " " + (present(lastName) ? lastName.strip() : "")).strip();
        return name.isEmpty() ? "User " + userId : name;
    }

    /** The display name of the user a row describes by its {@code user_id, username, first_name, last_name} columns. */
    public static String of(Row row) {
        return of(row.getLong("user_id"), row.getString("username"), row.getString("first_name"), row.getString("last_name"));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
