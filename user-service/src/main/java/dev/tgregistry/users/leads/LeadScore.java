package dev.tgregistry.users.leads;

import java.util.Locale;

/** Lead temperature from activity in the window; thresholds are inclusive and applied in SQL ({@link #SQL_CASE}). */
public enum LeadScore {
    HOT, WARM, COOL, COLD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The same rule in SQL, over columns {@code total_events} and {@code active_days}. */
    static final String SQL_CASE = "CASE WHEN total_events >= 20 AND active_days >= 5 THEN 'hot' "
            + "WHEN total_events >= 10 AND active_days >= 3 THEN 'warm' "
            + "WHEN total_events >= 5 THEN 'cool' ELSE 'cold' END";
}
