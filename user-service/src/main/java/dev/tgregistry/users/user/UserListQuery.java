package dev.tgregistry.users.user;


import java.util.ArrayList;
import java.util.List;

/**
 * The filters of {@code GET /api/users/list} as SQL: only the conditions asked for, each value a parameter.
 * {@code search} is a substring of username or first name, both compared folded (registry.search_fold, migration
 * V14: case, NFKC, Arabic/Persian letter forms, ...; {@code %} and {@code _} match
 * themselves); {@code stream} and {@code status} test the user's newest booking, cancelled included.
 */
record UserListQuery(String search, String stream, Integer status) {
    private static final String NEWEST_BOOKINGS = "(SELECT DISTINCT ON (user_id) user_id, course_stream, confirmed FROM bookings "
            + "ORDER BY user_id, created_at DESC, id DESC)";

    String where(List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        if (search != null) {
            parameters.add(search);
            // the query folded once (an InitPlan); search_text holds the folded username before its newline, so
            // only rows whose search_text holds the query at all get their first name folded
            String query = "(SELECT registry.search_fold($" + parameters.size() + "::text))";
            conditions.add("strpos(u.search_text, " + query + ") > 0 AND (strpos(split_part(u.search_text, E'\\n', 1), "
                    + query + ") > 0 OR strpos(registry.search_fold(u.first_name), " + query + ") > 0)");
        }
        if (stream != null || status != null) {
            List<String> latest = new ArrayList<>();
            if (stream != null) {
                parameters.add(stream);
                latest.add("lb.course_stream = $" + parameters.size());
            }
            if (status != null) {
                parameters.add(status);
                latest.add("lb.confirmed = $" + parameters.size());
            }
            conditions.add("u.user_id IN (SELECT lb.user_id FROM " + NEWEST_BOOKINGS + " lb WHERE " + String.join(" AND ", latest) + ")");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    String countSql(List<Object> parameters) {
        return "SELECT count(*) FROM users u" + where(parameters);
    }

    String pageSql(List<Object> parameters, int limit, long offset) {
        String where = where(parameters);
        parameters.add(limit);
        parameters.add(offset);
        return "SELECT u.user_id, u.username, u.first_name, u.last_name, u.last_seen_at FROM users u" + where
                + " ORDER BY u.last_seen_at DESC, u.user_id DESC LIMIT $" + (parameters.size() - 1) + " OFFSET $" + parameters.size();
    }

}
