package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.generate.Names;
import java.nio.charset.StandardCharsets;

/** Telegram Bot API {@code Update} JSON (private-chat {@code message} updates), built by hand for speed. */
public final class Updates {
    private static final String[] TEXTS = {"/start", "/program", "/price", "Привет!", "Хочу на курс", "سلام",
            "Hello", "Когда следующий поток?", "/help", "👍"};

    private Updates() {
    }

    /** A JSON array of {@code count} message updates from users {@code firstUserId, firstUserId + 1, ...}. */
    public static byte[] batch(Names names, long firstUpdateId, long firstUserId, int count, long dateEpochSeconds) {
        StringBuilder sb = new StringBuilder(count * 360);
        sb.append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            message(sb, firstUpdateId + i, firstUserId + i, names.telegramUser(), dateEpochSeconds, TEXTS[(int) ((firstUserId + i) % TEXTS.length)]);
        }
        sb.append(']');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void message(StringBuilder sb, long updateId, long userId, Names.Person p, long date, String text) {
        sb.append("{\"update_id\":").append(updateId)
                .append(",\"message\":{\"message_id\":").append(updateId % 1_000_000 + 1)
                .append(",\"date\":").append(date)
                .append(",\"chat\":{\"id\":").append(userId).append(",\"type\":\"private\"");
        field(sb, "first_name", p.firstName());
        sb.append("},\"from\":{\"id\":").append(userId).append(",\"is_bot\":false");
        field(sb, "first_name", p.firstName());
        field(sb, "last_name", p.lastName());
        field(sb, "username", p.username());
        field(sb, "language_code", p.languageCode());
        sb.append('}');
        field(sb, "text", text);
        sb.append("}}");
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (value == null) {
            return;
        }
        sb.append(",\"").append(name).append("\":");
        string(sb, value);
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
