package dev.tgregistry.users.adoption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgregistry.model.BookingChanged;
import dev.tgregistry.model.BotEvent;
import dev.tgregistry.model.FreeLessonRegistered;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.RegistryRecord;
import dev.tgregistry.model.UserSeen;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of a bot's table as the registry's records, in their JSON form, so that they pass the same contract checks
 * ({@link RecordJson}) as records from Kafka. Times without a zone are read in {@code app.legacy-time-zone}.
 */
final class LegacyRows {
    static final String HELLO_BOT_USERS = "hello_bot_users";
    static final String PROFILE_BOT_USERS = "profile_bot_users";
    static final String COURSE_BOOKINGS = "course_bookings";
    static final String COURSE_EVENTS = "course_events";
    static final String COURSE_FREE_LESSONS = "course_free_lessons";
    static final List<String> PROFILE_COLUMNS = List.of("onboarding_completed", "real_name", "nickname", "study_track",
            "grade_band", "grade_year", "phone", "last_activity");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ZoneId legacyZone;

    LegacyRows(ZoneId legacyZone) {
        this.legacyZone = legacyZone;
    }

    /** The column a table's rows are copied in order of (a unique, growing key). */
    static String keyColumn(String shape) {
        return shape.equals(PROFILE_BOT_USERS) ? "user_id" : "id";
    }

    /**
     * The sightings a users row stands for: the snapshot at {@code at} (its is_active as a private-chat member
     * status), and, when the row says it was created earlier, a first sighting then.
     */
    List<UserSeen> sightings(String shape, JsonObject row, Instant at) {
        Long userId = longValue(row, shape.equals(HELLO_BOT_USERS) ? "telegram_id" : "user_id");
        if (userId == null) {
            return List.of();
        }
        ObjectNode user = JSON.objectNode().put("id", userId)
                .put("username", row.getString("username"))
                .put("first_name", row.getString("first_name"))
                .put("last_name", row.getString("last_name"))
                .put("language_code", row.getString("language_code"));
        Boolean active = row.getValue("is_active") instanceof Boolean b ? b : null;
        String status = active == null ? null : active ? UserSeen.MEMBER : UserSeen.KICKED;
        List<UserSeen> sightings = new ArrayList<>(2);
        sightings.add(read(sighting(user, at, status), UserSeen.class));
        Instant created = time(row, "created_at");
        if (created != null && created.isBefore(at)) {
            sightings.add(read(sighting(user, created, null), UserSeen.class));
        }
        return sightings;
    }

    private static ObjectNode sighting(ObjectNode user, Instant at, String status) {
        ObjectNode sighting = JSON.objectNode().put("schema_version", RegistryRecord.SCHEMA_VERSION);
        sighting.set("user", user);
        sighting.put("seen_at", at.toString()).put("chat_member_status", status);
        sighting.putObject("source").put("kind", "legacy_table");
        return sighting;
    }

    /** The profile fields of a profile bot's users row, as a merge patch (a column the row lacks is left out). */
    ObjectNode profile(JsonObject row) {
        ObjectNode patch = JSON.objectNode();
        for (String column : PROFILE_COLUMNS) {
            if (!row.containsKey(column)) {
                continue;
            }
            Object value = row.getValue(column);
            if (value == null || (value instanceof String text && text.isBlank())) {
                patch.putNull(column);
            } else if (column.equals("last_activity")) {
                Instant at = time(row, column);
                patch.put(column, at == null ? null : at.toString());
            } else if (value instanceof Boolean flag) {
                patch.put(column, flag);
            } else if (value instanceof Number number) {
                patch.put(column, number.longValue());
            } else {
                patch.put(column, value.toString());
            }
        }
        return patch;
    }

    /** Whether a users row holds any profile value (the activity upsert of a user without a profile does not). */
    static boolean hasProfile(ObjectNode profile) {
        for (JsonNode value : profile) {
            if (!value.isNull()) {
                return true;
            }
        }
        return false;
    }

    BotEvent event(String botTable, JsonObject row) {
        ObjectNode event = JSON.objectNode().put("schema_version", RegistryRecord.SCHEMA_VERSION)
                .put("event_id", "legacy:" + botTable + ":" + row.getValue("id"))
                .put("user_id", longValue(row, "user_id"))
                .put("event_type", row.getString("event_type"));
        Object details = row.getValue("details");
        if (details instanceof JsonObject object) {
            event.set("details", RecordJson.MAPPER.valueToTree(object.getMap()));
        } else if (details != null) {
            event.putObject("details").put("legacy_details", details.toString());
        }
        Instant created = time(row, "created_at");
        event.put("occurred_at", created == null ? null : created.toString());
        return read(event, BotEvent.class);
    }

    BookingChanged booking(JsonObject row, Instant changedAt) {
        ObjectNode booking = JSON.objectNode().put("schema_version", RegistryRecord.SCHEMA_VERSION)
                .put("id", longValue(row, "id"))
                .put("user_id", longValue(row, "user_id"))
                .put("username", row.getString("username"))
                .put("first_name", row.getString("first_name"))
                .put("course_id", longValue(row, "course_id"))
                .put("course_stream", row.getString("course_stream"))
                .put("confirmed", longValue(row, "confirmed"))
                .put("referral_code", row.getString("referral_code"))
                .put("discount_percent", longValue(row, "discount_percent"))
                .put("changed_at", changedAt.toString());
        Instant created = time(row, "created_at");
        booking.put("created_at", created == null ? null : created.toString());
        return read(booking, BookingChanged.class);
    }

    FreeLessonRegistered freeLesson(JsonObject row) {
        ObjectNode registration = JSON.objectNode().put("schema_version", RegistryRecord.SCHEMA_VERSION)
                .put("id", longValue(row, "id"))
                .put("user_id", longValue(row, "user_id"))
                .put("username", row.getString("username"))
                .put("first_name", row.getString("first_name"))
                .put("email", row.getString("email"))
                .put("lesson_type", row.getString("lesson_type"))
                .put("lesson_date", row.getString("lesson_date"));
        Object sent = row.getValue("notification_sent");
        registration.put("notification_sent", sent instanceof Boolean flag ? flag : null);
        Instant registered = time(row, "registered_at");
        registration.put("registered_at", registered == null ? null : registered.toString());
        return read(registration, FreeLessonRegistered.class);
    }

    /** The row's time in {@code column}: with its offset, or (a column without time zone) in the legacy zone. */
    Instant time(JsonObject row, String column) {
        String text = row.getValue(column) instanceof String s ? s : null;
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException noOffset) {
            try {
                return LocalDateTime.parse(text).atZone(legacyZone).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static Long longValue(JsonObject row, String column) {
        return row.getValue(column) instanceof Number number ? number.longValue() : null;
    }

    private static <T extends RegistryRecord> T read(ObjectNode json, Class<T> type) {
        return RecordJson.read(json.toString(), type);
    }
}
