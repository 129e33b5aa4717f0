package dev.tgregistry.bench.generate;

import dev.tgregistry.bench.Bench;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Writes bot profiles (user_profiles) for a share of the generated users, as a course bot fills them: onboarding
 * state, study track, grade band and year, some real names and phones, and attributes (utm source, plan, a nested
 * referral). Each field is drawn from its own hash of the user id, so the fields are independent of each other and
 * of who has a profile.
 */
final class ProfilesWriter {

    private ProfilesWriter() {
    }

    static final String[] STUDY_TRACKS = {"python", "frontend", "data_science", "design", "ai_agents"};
    static final String[] GRADE_BANDS = {"school", "university", "adult"};
    static final String[] UTM_SOURCES = {"ads", "organic", "referral", "youtube"};

    static void insert(Connection c, long sharePercent) throws SQLException {
        Bench.log(String.format(Locale.ROOT, "  user_profiles: %d%% of users", sharePercent));
        String sql = """
                INSERT INTO user_profiles (user_id, onboarding_completed, real_name, study_track, grade_band, grade_year,
                                           phone, last_activity, attributes, created_at, updated_at)
                SELECT user_id,
                       CASE WHEN pg_temp.h(user_id, 'ob') %% 10 < 6 THEN true WHEN pg_temp.h(user_id, 'ob') %% 10 < 8 THEN false END,
                       CASE WHEN pg_temp.h(user_id, 'rn') %% 3 = 0 THEN first_name END,
                       CASE WHEN pg_temp.h(user_id, 'st') %% 10 < 8 THEN (%s)[1 + pg_temp.h(user_id, 'st') %% 5] END,
                       CASE WHEN pg_temp.h(user_id, 'gb') %% 10 < 7 THEN (%s)[1 + pg_temp.h(user_id, 'gb') %% 3] END,
                       CASE WHEN pg_temp.h(user_id, 'gy') %% 4 <> 0 THEN 2024 + pg_temp.h(user_id, 'gy') %% 7 END,
                       CASE WHEN pg_temp.h(user_id, 'ph') %% 5 = 0 THEN '+7' || (9000000000 + pg_temp.h(user_id, 'ph') %% 999999999)::text END,
                       last_seen_at,
                       jsonb_strip_nulls(jsonb_build_object(
                           'utm', CASE WHEN pg_temp.h(user_id, 'ut') %% 10 < 6
                                       THEN jsonb_build_object('source', (%s)[1 + pg_temp.h(user_id, 'ut') %% 4]) END,
                           'plan', CASE WHEN pg_temp.h(user_id, 'pl') %% 10 < 4 THEN 'free' WHEN pg_temp.h(user_id, 'pl') %% 10 < 5 THEN 'pro' END,
                           'lessons_done', pg_temp.h(user_id, 'ld') %% 12)),
                       first_seen_at, last_seen_at
                FROM users WHERE pg_temp.h(user_id, 'p') %% 100 < ?
                """.formatted(array(STUDY_TRACKS), array(GRADE_BANDS), array(UTM_SOURCES));
        try (Statement st = c.createStatement();
             var ps = c.prepareStatement(sql)) {
            st.execute("CREATE OR REPLACE FUNCTION pg_temp.h(id bigint, salt text) RETURNS int IMMUTABLE LANGUAGE sql"
                    + " AS $$ SELECT abs(hashtext(id::text || salt) % 1000000000) $$");
            ps.setLong(1, sharePercent);
            Bench.log(String.format(Locale.ROOT, "  user_profiles: %,d rows", ps.executeUpdate()));
        }
    }

    private static String array(String[] values) {
        StringBuilder sb = new StringBuilder("ARRAY[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append('\'').append(values[i]).append('\'');
        }
        return sb.append(']').toString();
    }
}
