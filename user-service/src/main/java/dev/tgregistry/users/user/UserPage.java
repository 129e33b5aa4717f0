package dev.tgregistry.users.user;

import java.util.List;

/** A page of {@code GET /api/users}; pass {@code next_cursor} back as {@code cursor} for the next one (null at the end). */
public record UserPage(List<UserView> users, String nextCursor) {
}
