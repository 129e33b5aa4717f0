package dev.tgregistry.users.user;

import dev.tgregistry.users.person.UserView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** A page of {@code GET /api/users}; pass {@code next_cursor} back as {@code cursor} for the next one (null at the end). */
public record UserPage(List<UserView> users, @Schema(nullable = true) String nextCursor) {
}
