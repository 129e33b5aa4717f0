package dev.tgregistry.users.db;

import java.time.Instant;

/** The buckets of the quarter-hour rollups (V10, V22): {@code date_bin('15 minutes', t, epoch)}. */
public final class Quarters {
    private static final long QUARTER_SECONDS = 900;

    private Quarters() {
    }

    /** The start of the quarter holding {@code at}. */
    public static Instant atOrBefore(Instant at) {
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), QUARTER_SECONDS) * QUARTER_SECONDS);
    }

    /** {@code at} when a quarter starts there, else the start of the next quarter. */
    public static Instant atOrAfter(Instant at) {
        Instant before = atOrBefore(at);
        return before.equals(at) ? at : before.plusSeconds(QUARTER_SECONDS);
    }

    /**
     * SQL counting the users whose {@code column} is in [lo, hi): the rollup's whole quarters [qlo, qhi), plus the
     * quarters cut at the two ends, [lo, qlo) and [qhi, hi), counted from {@code users}. The bounds are SQL
     * expressions (parameters); a null {@code qhi} leaves the range open above, a null {@code lo} / {@code hi} means
     * that end is on a quarter (nothing cut there).
     */
    public static String countSql(String rollup, String column, String lo, String qlo, String qhi, String hi) {
        String quarters = "COALESCE((SELECT sum(q.users) FROM " + rollup + " q WHERE q.bucket >= " + qlo
                + (qhi == null ? "" : " AND q.bucket < " + qhi) + "), 0)";
        return "(" + quarters + (lo == null ? "" : " + " + usersIn(column, lo, qlo))
                + (hi == null ? "" : " + " + usersIn(column, qhi, hi)) + ")::bigint";
    }

    private static String usersIn(String column, String from, String to) {
        return "(SELECT count(*) FROM users WHERE " + column + " >= " + from + " AND " + column + " < " + to + ")";
    }
}
