package dev.tgregistry.users.segment;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;

/**
 * Who belongs to an audience: every condition given must hold (AND); a condition not given does not filter. The
 * same names are query parameters of {@code GET /api/users} and members of a saved segment's {@code filter}, so a
 * list a dashboard built by hand can be saved as it is. Checked by {@link SegmentRules}; turned into SQL only by
 * {@link SegmentSql}, so a saved filter is data, never SQL text.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "SegmentFilter", description = "Conditions that must all hold; omit a member to not filter on it")
public record SegmentFilter(
        @Parameter(description = "true: not blocked; false: blocked the bot") @QueryParam("active") Boolean active,
        @Parameter(description = "true: a direct message can reach them (seen in a private chat, not blocked since)")
        @QueryParam("reachable_by_dm") Boolean reachableByDm,
        @Parameter(description = "true: Telegram Premium; false: not, or unknown") @QueryParam("is_premium") Boolean isPremium,
        @Parameter(description = "Telegram language codes, any of them (repeat the parameter)", example = "fa")
        @QueryParam("language") List<String> language,
        @Parameter(description = "first seen at or after this time (ISO-8601 with offset)") @QueryParam("first_seen_from")
        @Schema(format = "date-time") String firstSeenFrom,
        @Parameter(description = "first seen before this time") @QueryParam("first_seen_to")
        @Schema(format = "date-time") String firstSeenTo,
        @Parameter(description = "first seen within this ISO-8601 duration before now, e.g. PT24H or P7D (stays relative when saved)")
        @QueryParam("first_seen_within") @Schema(examples = "PT24H") String firstSeenWithin,
        @Parameter(description = "last seen at or after this time") @QueryParam("last_seen_from")
        @Schema(format = "date-time") String lastSeenFrom,
        @Parameter(description = "last seen before this time") @QueryParam("last_seen_to")
        @Schema(format = "date-time") String lastSeenTo,
        @Parameter(description = "last seen within this ISO-8601 duration before now") @QueryParam("last_seen_within")
        @Schema(examples = "P30D") String lastSeenWithin,
        @Parameter(description = "profile: true finished onboarding; false not known to have finished")
        @QueryParam("onboarding_completed") Boolean onboardingCompleted,
        @Parameter(description = "profile study_track, any of them") @QueryParam("study_track") List<String> studyTrack,
        @Parameter(description = "profile grade_band, any of them") @QueryParam("grade_band") List<String> gradeBand,
        @Parameter(description = "profile grade_year, any of them") @QueryParam("grade_year") List<Integer> gradeYear,
        @Parameter(description = "profile fields that must be set")
        @QueryParam("has") @Schema(type = SchemaType.ARRAY, implementation = ProfileField.class) List<String> has,
        @Parameter(description = "profile fields that must be unset (a user without a profile lacks them all)")
        @QueryParam("lacks") @Schema(type = SchemaType.ARRAY, implementation = ProfileField.class) List<String> lacks,
        @Parameter(description = "profile attributes: `path` set (not null), `!path` unset, `path=value` equal as text; "
                + "a path is keys joined by dots", example = "utm.source=ads")
        @QueryParam("attribute") List<String> attribute,
        @Parameter(description = "has a booking in this course stream (with booking_status: a booking in it with that status)")
        @QueryParam("stream") String stream,
        @Parameter(description = "has a booking with any of these statuses: -1 cancelled, 0 booked, 1 payment proof sent, 2 confirmed")
        @QueryParam("booking_status") List<Integer> bookingStatus,
        @Parameter(description = "true: has any booking (cancelled included); false: never booked")
        @QueryParam("booked") Boolean booked,
        @Parameter(description = "did an event: `type`, `type:N` (at least N times) or `type:N:D` (at least N times within D days)",
                example = "program_link_click:1:30")
        @QueryParam("did") List<String> did,
        @Parameter(description = "did not do an event (same form as did: not at least N times within D days)")
        @QueryParam("did_not") List<String> didNot,
        @Parameter(description = "names: a substring of username, first or last name, folded as search folds it")
        @QueryParam("search") String search) {

    static final SegmentFilter EVERYONE = new SegmentFilter(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null);
}
