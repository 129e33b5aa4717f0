package dev.tgregistry.users.audience;

/**
 * The OpenAPI wording every audience list shares (annotation values must be constants): its {@code format}
 * parameter, its cursor headers and its CSV answer. Each list's JSON operation documents both media types; its CSV
 * twin (same path, {@code @Produces(text/csv)}) is hidden, so a list is one operation in the document.
 */
public final class AudienceDocs {
    public static final String FORMAT = "csv: the whole list as CSV (as Accept: text/csv); json: the default";
    public static final String NEXT_CURSOR = "The cursor of the next page: pass it back as cursor (absent on the last page)";
    public static final String LINK = "<path?...&limit=N&cursor=...>; rel=\"next\": the next page (absent on the last page)";
    public static final String CSV = "RFC 4180 CSV, UTF-8, with a header row; streamed (every page, in the JSON list's order)";
    public static final String CSV_DOWNLOAD = "attachment; filename=\"...csv\" (CSV only)";

    private AudienceDocs() {
    }
}
