package dev.tgregistry.users.search;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tgregistry.users.web.DisplayName;
import io.vertx.mutiny.sqlclient.Row;

/**
 * One search result: the user as they are now, and the name the query matched ({@code matched_field} username,
 * name or user_id); {@code matched_former} when that was a name the user had before (name history).
 */
public record SearchHit(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) String firstName,
        @Schema(nullable = true) String lastName,
        String displayName,
        boolean isActive,
        String matchedName,
        String matchedField,
        boolean matchedFormer) {

    static final String USERNAME = "username";
    static final String NAME = "name";
    static final String USER_ID = "user_id";

    /**
     * This hit, matched by one of its current names or its id; whether the query is in its username or name was
     * decided by the folding in SQL ({@link SearchRepository#HITS}).
     */
    SearchHit matchedNow(SearchQuery query, boolean usernameMatches, boolean nameMatches) {
        if (username != null && usernameMatches) {
            return withMatch(username, USERNAME, false);
        }
        String fullName = fullName(firstName, lastName);
        if (!fullName.isEmpty() && nameMatches) {
            return withMatch(fullName, NAME, false);
        }
        return query.userId() != null && query.userId() == userId ? withMatch(Long.toString(userId), USER_ID, false)
                : withMatch(fullName.isEmpty() ? username : fullName, fullName.isEmpty() ? USERNAME : NAME, false);
    }

    /** This hit, matched by a former name (tier 0-1: its username, tier 2: its first/last name). */
    SearchHit matchedFormerly(SearchRepository.FormerMatch former) {
        return former.tier() < SearchTier.NAME_PREFIX ? withMatch(former.username(), USERNAME, true)
                : withMatch(fullName(former.firstName(), former.lastName()), NAME, true);
    }

    private SearchHit withMatch(String name, String field, boolean former) {
        return new SearchHit(userId, username, firstName, lastName, displayName, isActive, name, field, former);
    }

    private static String fullName(String firstName, String lastName) {
        return ((firstName == null ? "" : firstName.strip()) + " " + (lastName == null ? "" : lastName.strip())).strip();
    }

    static SearchHit of(Row row) {
        long id = row.getLong("user_id");
        String username = row.getString("username");
        String firstName = row.getString("first_name");
        String lastName = row.getString("last_name");
        return new SearchHit(id, username, firstName, lastName, DisplayName.of(id, username, firstName, lastName),
                row.getBoolean("is_active"), null, null, false);
    }
}
