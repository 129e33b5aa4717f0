package dev.tgregistry.users.db;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Small helpers for reading reactive pg rows. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    public static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(mapper.apply(row)));
        return items;
    }
}
