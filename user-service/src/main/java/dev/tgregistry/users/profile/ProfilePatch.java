package dev.tgregistry.users.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.users.web.ApiTimes;
import dev.tgregistry.users.web.JsonSettings;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A checked JSON Merge Patch of a profile: every field is type-checked (400 naming it) before anything is written.
 * A field set to {@code null} is removed; {@code attributes} is merged key by key (nested objects too).
 */
final class ProfilePatch {
    static final int MAX_TEXT = 500;
    static final int MAX_NICKNAME = 64;
    static final int MAX_ATTRIBUTES_BYTES = 65_536;
    private static final Set<String> READ_ONLY = Set.of("user_id", "version", "created_at", "updated_at", "grade_year_text");

    private record Field(String name, Function<UserProfile, JsonNode> get, BiConsumer<UserProfile, JsonNode> set) {
    }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        field("onboarding_completed", p -> p.onboardingCompleted == null ? null : BooleanNode.valueOf(p.onboardingCompleted),
                (p, v) -> p.onboardingCompleted = v == null ? null : v.booleanValue());
        textField("real_name", p -> p.realName, (p, v) -> p.realName = v);
        textField("nickname", p -> p.nickname, (p, v) -> p.nickname = v);
        textField("study_track", p -> p.studyTrack, (p, v) -> p.studyTrack = v);
        textField("grade_band", p -> p.gradeBand, (p, v) -> p.gradeBand = v);
        // kept as written (the profile bot stores words such as "دهم"), and as a number when it is one
        textField("grade_year", p -> p.gradeYearText, (p, v) -> {
            p.gradeYearText = v;
            p.gradeYear = GradeYear.number(v);
        });
        textField("phone", p -> p.phone, (p, v) -> p.phone = v);
        field("last_activity", p -> p.lastActivity == null ? null : TextNode.valueOf(JsonSettings.TIMESTAMP.format(p.lastActivity)),
                (p, v) -> p.lastActivity = v == null ? null : Instant.parse(v.textValue()));
    }

    private static void field(String name, Function<UserProfile, JsonNode> get, BiConsumer<UserProfile, JsonNode> set) {
        FIELDS.put(name, new Field(name, get, set));
    }

    private static void textField(String name, Function<UserProfile, String> get, BiConsumer<UserProfile, String> set) {
        field(name, p -> get.apply(p) == null ? null : TextNode.valueOf(get.apply(p)),
                (p, v) -> set.accept(p, v == null ? null : v.textValue()));
    }

    /** Checked new values of typed fields ({@link NullNode}: remove), in field order. */
    private final Map<Field, JsonNode> values = new LinkedHashMap<>();
    /** The patch of attributes: absent (null), NullNode (remove all) or an object to merge. */
    private JsonNode attributes;

    private ProfilePatch() {
    }

    static ProfilePatch parse(JsonNode body, PhoneNumbers phones) {
        if (body == null || !body.isObject()) {
            throw ApiErrors.badRequest("the body must be a JSON object (a JSON Merge Patch of the profile)");
        }
        ProfilePatch patch = new ProfilePatch();
        Iterator<Map.Entry<String, JsonNode>> entries = body.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (name.equals("attributes")) {
                if (!value.isNull() && !value.isObject()) {
                    throw ApiErrors.badRequest("attributes must be a JSON object or null");
                }
                patch.attributes = value;
            } else if (READ_ONLY.contains(name)) {
                throw ApiErrors.badRequest(name + " is read-only");
            } else if (FIELDS.containsKey(name)) {
                patch.values.put(FIELDS.get(name), value.isNull() ? NullNode.getInstance() : checked(name, value, phones));
            } else {
                throw ApiErrors.badRequest("unknown profile field '" + name + "'; put fields of your own in attributes");
            }
        }
        return patch;
    }

    private static JsonNode checked(String name, JsonNode value, PhoneNumbers phones) {
        switch (name) {
            case "onboarding_completed" -> {
                if (!value.isBoolean()) {
                    throw ApiErrors.badRequest(name + " must be true, false or null");
                }
                return value;
            }
            case "grade_year" -> {
                if (value.isIntegralNumber() && value.canConvertToInt()) {
                    return TextNode.valueOf(Integer.toString(value.intValue()));
                }
                if (!value.isTextual()) {
                    throw ApiErrors.badRequest(name + " must be an integer, a string or null");
                }
                return TextNode.valueOf(text(name, value, GradeYear.MAX_LENGTH));
            }
            case "last_activity" -> {
                // milliseconds, as the API shows every timestamp
                Instant at = ApiTimes.parse(name, text(name, value, 64)).truncatedTo(ChronoUnit.MILLIS);
                return TextNode.valueOf(JsonSettings.TIMESTAMP.format(at));
            }
            case "phone" -> {
                return TextNode.valueOf(phones.normalise(text(name, value, 64)));
            }
            case "nickname" -> {
                return TextNode.valueOf(text(name, value, MAX_NICKNAME));
            }
            default -> {
                return TextNode.valueOf(text(name, value, MAX_TEXT));
            }
        }
    }

    private static String text(String name, JsonNode value, int maxLength) {
        if (!value.isTextual()) {
            throw ApiErrors.badRequest(name + " must be a string or null");
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            throw ApiErrors.badRequest(name + " must not be empty (null removes it)");
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw ApiErrors.badRequest(name + " must be at most " + maxLength + " characters");
        }
        return text;
    }

    /**
     * Applies the patch to {@code profile} and returns one change per field whose value changed (attributes: per
     * top-level key, as {@code attributes.<key>}); the changes still lack version, time and caller.
     */
    List<ProfileChange> applyTo(UserProfile profile, ObjectMapper json) {
        List<ProfileChange> changes = new ArrayList<>();
        for (Map.Entry<Field, JsonNode> entry : values.entrySet()) {
            Field field = entry.getKey();
            JsonNode before = field.get().apply(profile);
            JsonNode after = entry.getValue().isNull() ? null : entry.getValue();
            if (!same(before, after)) {
                field.set().accept(profile, after);
                changes.add(ProfileChange.of(profile.userId, field.name(), text(before), text(after)));
            }
        }
        if (attributes != null) {
            JsonNode before = read(json, profile.attributes);
            JsonNode after = attributes.isNull() ? JsonNodeFactory.instance.objectNode() : MergePatch.apply(before, attributes);
            String written = after.toString();
            if (written.getBytes(StandardCharsets.UTF_8).length > MAX_ATTRIBUTES_BYTES) {
                throw ApiErrors.badRequest("attributes must be at most " + MAX_ATTRIBUTES_BYTES + " bytes of JSON");
            }
            Set<String> keys = new TreeSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!same(before.get(key), after.get(key))) {
                    changes.add(ProfileChange.of(profile.userId, "attributes." + key, text(before.get(key)), text(after.get(key))));
                }
            }
            profile.attributes = written;
        }
        return changes;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String text(JsonNode value) {
        return value == null ? null : value.toString();
    }

    private static JsonNode read(ObjectMapper json, String attributes) {
        try {
            JsonNode node = json.readTree(attributes == null ? "{}" : attributes);
            return node.isObject() ? node : JsonNodeFactory.instance.objectNode();
        } catch (JsonProcessingException stored) {
            throw new IllegalStateException("stored attributes are not JSON", stored);
        }
    }
}
