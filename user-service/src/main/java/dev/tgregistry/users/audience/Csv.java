package dev.tgregistry.users.audience;

import java.time.Instant;
import java.util.List;

import dev.tgregistry.users.web.JsonSettings;

/**
 * RFC 4180 CSV text: fields separated by commas, records ended by CRLF; a field holding a comma, a double quote,
 * CR or LF is quoted and its quotes doubled. Null is an empty field. UTF-8 without a byte-order mark (Persian,
 * Cyrillic and emoji pass through unchanged). A text value that a spreadsheet would run as a formula (it starts
 * with {@code = + - @}, tab or CR; names and emails come from Telegram users) gets a leading {@code '} and is quoted,
 * as OWASP's CSV injection guidance says; numbers, booleans and timestamps are written exactly.
 */
public final class Csv {
    public static final String MEDIA_TYPE = "text/csv";
    /** What the CSV responses declare: RFC 4180's media type with its optional header parameter, UTF-8. */
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8; header=present";

    private Csv() {
    }

    /** Appends one record (CRLF-terminated) to {@code out}. */
    public static void appendRecord(StringBuilder out, List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendField(out, fields.get(i));
        }
        out.append("\r\n");
    }

    static void appendField(StringBuilder out, Object value) {
        if (value == null) {
            return;
        }
        String text = value instanceof Instant instant ? JsonSettings.TIMESTAMP.format(instant) : value.toString();
        boolean quote = value instanceof String && startsLikeAFormula(text);
        if (quote) {
            text = "'" + text;
        }
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.append(text);
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean startsLikeAFormula(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
    }
}
