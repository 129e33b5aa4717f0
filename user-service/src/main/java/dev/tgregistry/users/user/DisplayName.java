package dev.tgregistry.users.user;

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

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
