package dev.tgregistry.model;

import java.nio.charset.StandardCharsets;

/**
 * What PostgreSQL can store of a Java string: no NUL (text and jsonb refuse U+0000) and no lone UTF-16 surrogate
 * (it has no UTF-8 encoding). Records from the bot are checked ({@link #problemIn}); text Telegram sent is
 * normalised ({@link #clean}), because Telegram retries a refused update forever.
 */
public final class Text {
    private static final char REPLACEMENT = '\uFFFD';

    private Text() {
    }

    /** Why PostgreSQL would refuse the string, or null if it can store it. */
    public static String problemIn(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "must not contain NUL (U+0000), at index " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode: lone surrogate at index " + i;
            }
        }
        return null;
    }

    /**
     * Drops NUL and the other C0 control characters except tab and newline, and replaces lone surrogates with
     * U+FFFD; returns the same instance when there is nothing to change.
     */
    public static String clean(String value) {
        if (value == null || isClean(value)) {
            return value;
        }
        StringBuilder cleaned = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                cleaned.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cleaned.append(REPLACEMENT);
            } else if (!isDroppedControl(c)) {
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    /** The string cut to at most {@code maxChars} characters and {@code maxBytes} UTF-8 bytes, never inside a pair. */
    public static String truncate(String value, int maxChars, int maxBytes) {
        if (value == null || (value.length() <= maxChars && utf8Length(value) <= maxBytes)) {
            return value;
        }
        int end = 0;
        int bytes = 0;
        while (end < value.length() && end < maxChars) {
            int codePoint = value.codePointAt(end);
            int width = Character.charCount(codePoint);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (end + width > maxChars || bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += width;
        }
        return value.substring(0, end);
    }

    public static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean isClean(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isDroppedControl(c) || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDroppedControl(char c) {
        return c < 0x20 && c != '\t' && c != '\n';
    }
}
