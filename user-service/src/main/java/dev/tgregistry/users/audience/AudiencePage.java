package dev.tgregistry.users.audience;

import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.function.Function;

/**
 * One page of an audience list and the cursor of the next page ({@code null} on the last page). A list answered
 * as a bare JSON array (the original dashboard's shape) carries the cursor in the {@value #NEXT_CURSOR_HEADER}
 * header and a {@code Link: <...>; rel="next"} header; a list answered as an object carries it as a
 * {@code next_cursor} member.
 */
public record AudiencePage<T>(List<T> items, String nextCursor) {
    public static final String NEXT_CURSOR_HEADER = "X-Next-Cursor";

    /**
     * From rows read with {@code LIMIT pageSize + 1}: the first {@code pageSize} rows, and a cursor after the last of
     * them if there was one more row (so the last page has no cursor and no empty page follows it).
     */
    public static <T> AudiencePage<T> of(List<T> rowsReadOneExtra, int pageSize, Function<T, String> cursorAfter) {
        if (rowsReadOneExtra.size() <= pageSize) {
            return new AudiencePage<>(rowsReadOneExtra, null);
        }
        List<T> page = rowsReadOneExtra.subList(0, pageSize);
        return new AudiencePage<>(List.copyOf(page), cursorAfter.apply(page.get(pageSize - 1)));
    }

    /** The items as a bare JSON array; the cursor in headers ({@code path} is the list's path, for the Link). */
    public RestResponse<List<T>> asArrayResponse(String path, int pageSize) {
        return respond(items, path, pageSize);
    }

    /**
     * {@code body} with the cursor in headers; {@code path} is the list's path with the query that selects it (the
     * Link adds limit and cursor to it).
     */
    public <B> RestResponse<B> respond(B body, String path, int pageSize) {
        RestResponse.ResponseBuilder<B> response = RestResponse.ResponseBuilder.ok(body);
        if (nextCursor != null) {
            response.header(NEXT_CURSOR_HEADER, nextCursor)
                    .header("Link", "<" + path + (path.contains("?") ? "&" : "?") + "limit=" + pageSize
                            + "&cursor=" + nextCursor + ">; rel=\"next\"");
        }
        return response.build();
    }
}
