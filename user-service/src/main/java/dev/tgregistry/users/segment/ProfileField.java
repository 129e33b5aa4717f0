package dev.tgregistry.users.segment;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.tgregistry.users.web.ApiErrors;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The profile fields a filter's has/lacks may name: a fixed list, so a caller's text never becomes an identifier. */
public enum ProfileField {
    ONBOARDING_COMPLETED, REAL_NAME, NICKNAME, STUDY_TRACK, GRADE_BAND, GRADE_YEAR, PHONE, LAST_ACTIVITY;

    static final String NAMES = Arrays.stream(values()).map(ProfileField::column).collect(Collectors.joining(", "));

    /** The user_profiles column, which is also the field's name in the API. */
    @JsonValue
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ProfileField parse(String field, String text) {
        return Arrays.stream(values()).filter(f -> f.column().equals(text)).findFirst()
                .orElseThrow(() -> ApiErrors.badRequest(field + " must be one of " + NAMES));
    }
}
