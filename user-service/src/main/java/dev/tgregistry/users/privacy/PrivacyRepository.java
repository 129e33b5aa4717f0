package dev.tgregistry.users.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The export's read: every table holding the person, as JSON arrays of whole rows, in one statement (one snapshot). */
@ApplicationScoped
public class PrivacyRepository {
    static final String EXPORT = exportSql();

    private final Pool pool;

    public PrivacyRepository(Pool pool) {
        this.pool = pool;
    }

    /** {@code {"table": [rows...], ...}} as JSON text. */
    public Uni<String> export(long userId) {
        return pool.preparedQuery(EXPORT).execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getString(0));
    }

    private static String exportSql() {
        List<String> tables = new ArrayList<>();
        PersonalData.HOLDERS.forEach(holder -> tables.add(holder.table()));
        tables.addAll(PersonalData.ERASURE_RECORDS);
        // search_text is users' (and the history's) lower-cased copy of the names, not data of its own
        return tables.stream()
                .map(table -> "'" + table + "', (SELECT COALESCE(jsonb_agg(to_jsonb(t) - 'search_text'), '[]') FROM "
                        + table + " t WHERE t.user_id = $1)")
                .collect(Collectors.joining(", ", "SELECT jsonb_build_object(", ")::text"));
    }
}
