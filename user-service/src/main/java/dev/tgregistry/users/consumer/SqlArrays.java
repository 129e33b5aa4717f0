package dev.tgregistry.users.consumer;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.function.Function;

/** Column arrays for {@code unnest($1::bigint[], ...)}: one array per column, one element per row. */
final class SqlArrays {
    private SqlArrays() {
    }

    static <R> Long[] longs(Collection<R> rows, Function<R, Long> column) {
        return rows.stream().map(column).toArray(Long[]::new);
    }

    static <R> Integer[] ints(Collection<R> rows, Function<R, Integer> column) {
        return rows.stream().map(column).toArray(Integer[]::new);
    }

    static <R> String[] texts(Collection<R> rows, Function<R, String> column) {
        return rows.stream().map(column).toArray(String[]::new);
    }

    static <R> Boolean[] bools(Collection<R> rows, Function<R, Boolean> column) {
        return rows.stream().map(column).toArray(Boolean[]::new);
    }

    static <R> OffsetDateTime[] times(Collection<R> rows, Function<R, Instant> column) {
        return rows.stream().map(column).map(SqlArrays::utc).toArray(OffsetDateTime[]::new);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
