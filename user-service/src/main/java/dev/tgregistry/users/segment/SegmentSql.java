package dev.tgregistry.users.segment;

import dev.tgregistry.users.db.Quarters;
import dev.tgregistry.users.reachability.ReachabilitySql;
import dev.tgregistry.users.search.SearchQuery;
import dev.tgregistry.users.segment.SegmentRules.AttributeTest;
import dev.tgregistry.users.segment.SegmentRules.EventTest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A checked {@link SegmentFilter} as the WHERE clause of a statement over {@code users u}: one condition per member
 * given, every value a parameter ({@code $n}), identifiers only from fixed lists. Relative windows
 * ({@code *_within}, {@code did ...:D}) end at {@code now}, which a cursor walk pins to its first page.
 */
final class SegmentSql {
    /** users columns as UserView reads them. */
    static final String USER_COLUMNS = "u.user_id, u.username, u.first_name, u.last_name, u.language_code, "
            + ReachabilitySql.isActive("u") + " AS is_active, u.is_premium, u.first_seen_at, u.last_seen_at, "
            + ReachabilitySql.reachableByDm("u") + " AS reachable_by_dm, " + ReachabilitySql.unreachableReason("u")
            + " AS unreachable_reason, " + ReachabilitySql.unreachableAt("u") + " AS unreachable_at";

    private final List<Object> parameters = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final long folded;
    /** A count's one positive did test as two disjoint conditions ({@link EventSummarySql#split}), or null. */
    private String[] split;
    private final boolean splitting;
    private boolean profileJoined;
    /** The user id column of the statement's rows: {@code p.user_id} when it counts profiles alone. */
    private String subject = "u.user_id";

    private SegmentSql(Long folded, boolean splitting) {
        this.folded = folded == null ? 0 : folded;
        this.splitting = splitting;
    }

    /**
     * Whether a statement of the filter reads the event summary (any {@code did} / {@code did_not}): it then runs in
     * one snapshot with the summary's watermark ({@code folded}).
     */
    static boolean readsSummary(SegmentFilter filter) {
        return filter.did() != null || filter.didNot() != null;
    }

    /**
     * {@code FROM ... WHERE ...} for {@code filter}, and the conditions {@code more} adds (given the parameter list,
     * to append its own values to); the values of all of them in {@code parameters}.
     */
    static String fromWhere(SegmentFilter filter, Instant now, Long folded, List<Object> parameters,
                            Function<List<Object>, String> more) {
        SegmentSql sql = new SegmentSql(folded, false);
        sql.build(filter, now);
        String extra = more == null ? null : more.apply(sql.parameters);
        if (extra != null) {
            sql.conditions.add(extra);
        }
        parameters.addAll(sql.parameters);
        return sql.fromWhere(null);
    }

    /** The statement's FROM and WHERE with {@code extra} (null: none) added to the conditions. */
    private String fromWhere(String extra) {
        List<String> all = new ArrayList<>(conditions);
        if (extra != null) {
            all.add(extra);
        }
        String from = " FROM users u" + (profileJoined ? " LEFT JOIN user_profiles p ON p.user_id = u.user_id" : "");
        return from + (all.isEmpty() ? "" : " WHERE " + String.join(" AND ", all));
    }

    /**
     * {@code SELECT count(*) ...} of the users {@code filter} selects. A filter of one member is counted from a
     * cheaper count where it has one ({@link #soleMemberCount}); a filter whose every member needs a profile counts
     * the profiles alone (each profile has its user: foreign key, deleted with it). {@code folded}: the event
     * summary's watermark in the statement's snapshot, when {@link #readsSummary}.
     */
    static String count(SegmentFilter filter, Instant now, Long folded, List<Object> parameters) {
        SegmentSql sql = new SegmentSql(folded, true);
        String sole = sql.soleMemberCount(filter, now);
        if (sole != null) {
            parameters.addAll(sql.parameters);
            return sole;
        }
        if (needsProfileOnly(filter)) {
            sql.subject = "p.user_id";
            sql.build(filter, now);
            parameters.addAll(sql.parameters);
            return "SELECT count(*) FROM user_profiles p WHERE " + String.join(" AND ", sql.conditions);
        }
        sql.build(filter, now);
        parameters.addAll(sql.parameters);
        if (sql.split != null) {
            return "SELECT (SELECT count(*)" + sql.fromWhere(sql.split[0]) + ") + (SELECT count(*)" + sql.fromWhere(sql.split[1]) + ")";
        }
        return "SELECT count(*)" + sql.fromWhere(null);
    }

    /**
     * The count of a filter of one member from a smaller one, or null: {@code active} and {@code reachable_by_dm}
     * from the trigger-kept {@code user_counts} row (V8) and the few active users never seen in a private chat; a
     * negation ({@code is_premium=false}, {@code onboarding_completed=false}, one {@code lacks}, one
     * {@code attribute=!path}) as all users less its positive form; a lower bound of last_seen_at from the histogram
     * of last_seen_at (V22); one {@code did} / {@code did_not} from the event summary's totals or its rows
     * ({@link EventSummarySql#soleCount}); one {@code attribute} from the flattened attributes (V23) where they answer it;
     * {@code language} from the users per language (V24).
     */
    private String soleMemberCount(SegmentFilter f, Instant now) {
        if (membersGiven(f) != 1) {
            return null;
        }
        String allLess = "SELECT (SELECT total FROM user_counts) - count(*)";
        if (f.active() != null) {
            return f.active() ? "SELECT total - blocked FROM user_counts" : "SELECT blocked FROM user_counts";
        }
        if (f.reachableByDm() != null) {
            // not reachable: blocked, or active and never seen in a private chat (a small partial index, V17)
            String noPrivateChat = "(SELECT count(*) FROM users u WHERE u.private_chat_since IS NULL AND " + ReachabilitySql.isActive("u") + ")";
            return f.reachableByDm() ? "SELECT total - blocked - " + noPrivateChat + " FROM user_counts"
                    : "SELECT blocked + " + noPrivateChat + " FROM user_counts";
        }
        if (f.language() != null) {
            return "SELECT COALESCE(sum(l.users), 0)::bigint FROM rollup_language_users l WHERE l.language_code = ANY("
                    + parameter(f.language().toArray(String[]::new)) + "::text[])";
        }
        if (Boolean.FALSE.equals(f.isPremium())) {
            return allLess + " FROM users u WHERE u.is_premium IS TRUE";
        }
        if (Boolean.FALSE.equals(f.onboardingCompleted())) {
            return allLess + " FROM user_profiles p WHERE " + onboarded(true);
        }
        if (f.lacks() != null && f.lacks().size() == 1) {
            return allLess + " FROM user_profiles p WHERE " + profileSet(ProfileField.parse("lacks", f.lacks().get(0)), true);
        }
        if (f.lastSeenFrom() != null || f.lastSeenWithin() != null) {
            // the histogram of last_seen_at (V22) for the whole quarters, the index for the cut one
            Instant start = start(f.lastSeenFrom(), f.lastSeenWithin(), now);
            String quarter = parameter(at(Quarters.atOrAfter(start)));
            return "SELECT " + Quarters.countSql("rollup_seen_user_quarters", "last_seen_at", parameter(at(start)), quarter, null, null);
        }
        if (f.did() != null && f.did().size() == 1) {
            return EventSummarySql.soleCount(EventTest.parse("did", f.did().get(0)), false, now, folded, "(SELECT total FROM user_counts)", this::parameter);
        }
        if (f.didNot() != null && f.didNot().size() == 1) {
            return EventSummarySql.soleCount(EventTest.parse("did_not", f.didNot().get(0)), true, now, folded, "(SELECT total FROM user_counts)", this::parameter);
        }
        if (f.attribute() != null && f.attribute().size() == 1) {
            AttributeTest test = AttributeTest.parse("attribute", f.attribute().get(0));
            AttributeTest positive = new AttributeTest(test.path(), false, test.equals());
            if (AttributeSql.flattened(positive)) {
                // each profile's flattened values are one row per path (V23), and each profile has its user
                return (test.negated() ? allLess : "SELECT count(*)") + " FROM profile_attribute_values a WHERE "
                        + AttributeSql.flattenedRows(positive, this::parameter);
            }
            if (test.negated()) {
                return allLess + " FROM user_profiles p WHERE " + AttributeSql.exact(positive, "p.attributes", this::parameter);
            }
        }
        return null;
    }

    /** Whether every member given holds only for users with a profile (a missing profile fails them all). */
    private static boolean needsProfileOnly(SegmentFilter f) {
        boolean positiveAttributes = f.attribute() == null
                || f.attribute().stream().noneMatch(text -> AttributeTest.parse("attribute", text).negated());
        int profileMembers = (Boolean.TRUE.equals(f.onboardingCompleted()) ? 1 : 0) + (f.studyTrack() == null ? 0 : 1)
                + (f.gradeBand() == null ? 0 : 1) + (f.gradeYear() == null ? 0 : 1) + (f.has() == null ? 0 : 1)
                + (f.attribute() != null && positiveAttributes ? 1 : 0);
        return profileMembers > 0 && profileMembers == membersGiven(f);
    }

    private static int membersGiven(SegmentFilter f) {
        return (int) Stream.of(f.active(), f.reachableByDm(), f.isPremium(), f.language(), f.firstSeenFrom(), f.firstSeenTo(),
                f.firstSeenWithin(), f.lastSeenFrom(), f.lastSeenTo(), f.lastSeenWithin(), f.onboardingCompleted(), f.studyTrack(),
                f.gradeBand(), f.gradeYear(), f.has(), f.lacks(), f.attribute(), f.stream(), f.bookingStatus(), f.booked(),
                f.did(), f.didNot(), f.search()).filter(Objects::nonNull).count();
    }

    private void build(SegmentFilter f, Instant now) {
        flag(f.active(), ReachabilitySql.isActive("u"), "NOT " + ReachabilitySql.isActive("u"));
        flag(f.reachableByDm(), ReachabilitySql.reachableByDm("u"), "NOT " + ReachabilitySql.reachableByDm("u"));
        flag(f.isPremium(), "u.is_premium IS TRUE", "u.is_premium IS NOT TRUE");
        anyOf("u.language_code", f.language(), "text");
        since("u.first_seen_at", f.firstSeenFrom(), f.firstSeenWithin(), now);
        before("u.first_seen_at", f.firstSeenTo());
        since("u.last_seen_at", f.lastSeenFrom(), f.lastSeenWithin(), now);
        before("u.last_seen_at", f.lastSeenTo());
        profile(f);
        bookings(f);
        if (f.did() != null) {
            f.did().forEach(text -> events(EventTest.parse("did", text), now, false));
        }
        if (f.didNot() != null) {
            f.didNot().forEach(text -> events(EventTest.parse("did_not", text), now, true));
        }
        if (f.search() != null) {
            // folded by the one definition of the folding (migration V14), once per statement
            String folded = "(SELECT registry.search_fold(" + parameter(f.search()) + "::text))";
            // with a trigram, the same test as a LIKE (the query's wildcards escaped; search_text has no '_'), which the
            // trigram index narrows
            conditions.add(SearchQuery.hasTrigram(f.search())
                    ? "u.search_text LIKE '%' || replace(replace(" + folded + ", '\\', '\\\\'), '%', '\\%') || '%'"
                    : "strpos(u.search_text, " + folded + ") > 0");
        }
    }

    private void profile(SegmentFilter f) {
        if (f.onboardingCompleted() != null) {
            conditions.add(onboarded(f.onboardingCompleted()));
        }
        if (f.studyTrack() != null) {
            anyOf(profileColumn("study_track"), f.studyTrack(), "text");
        }
        if (f.gradeBand() != null) {
            anyOf(profileColumn("grade_band"), f.gradeBand(), "text");
        }
        if (f.gradeYear() != null) {
            anyOf(profileColumn("grade_year"), f.gradeYear(), "int");
        }
        if (f.has() != null) {
            f.has().forEach(field -> conditions.add(profileSet(ProfileField.parse("has", field), true)));
        }
        if (f.lacks() != null) {
            f.lacks().forEach(field -> conditions.add(profileSet(ProfileField.parse("lacks", field), false)));
        }
        if (f.attribute() != null) {
            f.attribute().forEach(text -> attribute(AttributeTest.parse("attribute", text)));
        }
    }

    private String onboarded(boolean completed) {
        return profileColumn("onboarding_completed") + (completed ? " IS TRUE" : " IS NOT TRUE");
    }

    private String profileSet(ProfileField field, boolean set) {
        return profileColumn(field.column()) + (set ? " IS NOT NULL" : " IS NULL");
    }

    private void attribute(AttributeTest test) {
        if (AttributeSql.flattened(test)) {
            String held = "EXISTS (SELECT 1 FROM profile_attribute_values a WHERE a.user_id = " + subject + " AND "
                    + AttributeSql.flattenedRows(test, this::parameter) + ")";
            conditions.add(test.negated() ? "NOT " + held : held);
        } else {
            conditions.add(AttributeSql.exact(test, profileColumn("attributes"), this::parameter));
        }
    }

    private void bookings(SegmentFilter f) {
        if (f.stream() != null || f.bookingStatus() != null) {
            String sameBooking = (f.stream() == null ? "" : " AND b.course_stream = " + parameter(f.stream()))
                    + (f.bookingStatus() == null ? "" : " AND b.confirmed = ANY(" + parameter(f.bookingStatus().toArray(Integer[]::new)) + "::int[])");
            conditions.add("EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id" + sameBooking + ")");
        }
        if (f.booked() != null) {
            conditions.add((f.booked() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id)");
        }
    }

    /**
     * At least N events of a type (within D days): from the event summary and the events above its watermark
     * ({@link EventSummarySql#condition}, or for a count's first positive test {@link EventSummarySql#split});
     * {@code type:N:D} with N > 1, which the summary cannot answer, as a
     * semi-join, or an anti-join for did_not, on the events themselves.
     */
    private void events(EventTest test, Instant now, boolean negated) {
        if (splitting && split == null && !negated) {
            split = EventSummarySql.split(test, now, folded, this::parameter);
            if (split != null) {
                return;
            }
        }
        String summarized = EventSummarySql.condition(test, negated, now, folded, this::parameter);
        if (summarized != null) {
            conditions.add(summarized);
            return;
        }
        String window = test.withinDays() == null ? ""
                : " AND e.created_at >= " + parameter(at(now.minus(test.withinDays(), ChronoUnit.DAYS)));
        String ofType = "e.event_type = " + parameter(test.type()) + window;
        String matching = test.atLeast() == 1
                ? "SELECT 1 FROM events e WHERE e.user_id = u.user_id AND " + ofType
                : "SELECT 1 FROM (SELECT e.user_id FROM events e WHERE " + ofType + " GROUP BY e.user_id HAVING count(*) >= "
                  + parameter(test.atLeast()) + ") n WHERE n.user_id = u.user_id";
        conditions.add((negated ? "NOT " : "") + "EXISTS (" + matching + ")");
    }

    private void flag(Boolean value, String whenTrue, String whenFalse) {
        if (value != null) {
            conditions.add(value ? whenTrue : whenFalse);
        }
    }

    private void anyOf(String column, List<?> values, String type) {
        if (values != null) {
            Object array = type.equals("int") ? values.toArray(Integer[]::new) : values.toArray(String[]::new);
            conditions.add(column + " = ANY(" + parameter(array) + "::" + type + "[])");
        }
    }

    private void since(String column, String from, String within, Instant now) {
        Instant start = start(from, within, now);
        if (start != null) {
            conditions.add(column + " >= " + parameter(at(start)));
        }
    }

    /** The later of {@code from} and {@code now - within}; null when neither is given. */
    private static Instant start(String from, String within, Instant now) {
        Instant start = from == null ? null : Instant.parse(from);
        if (within != null) {
            Instant windowStart = now.minus(SegmentRules.duration(within));
            start = start == null || windowStart.isAfter(start) ? windowStart : start;
        }
        return start;
    }

    private void before(String column, String to) {
        if (to != null) {
            conditions.add(column + " < " + parameter(at(Instant.parse(to))));
        }
    }

    private String profileColumn(String column) {
        profileJoined = true;
        return "p." + column;
    }

    private String parameter(Object value) {
        parameters.add(value);
        return "$" + parameters.size();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
