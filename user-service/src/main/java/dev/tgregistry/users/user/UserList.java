package dev.tgregistry.users.user;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code GET /api/users/list}: one page (offset paging, as the original dashboard pages it). */
public record UserList(boolean success, List<UserListItem> users, long total, int page, int limit,
                       @JsonProperty("totalPages") long totalPages) {
}
