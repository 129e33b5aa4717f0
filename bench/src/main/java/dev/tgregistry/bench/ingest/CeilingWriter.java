package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.generate.WriterStatements;
import dev.tgregistry.model.UserSeen;
import dev.tgregistry.users.consumer.UserSnapshots;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ceiling (bench/README.md, "bench/run ingest", (i)): the same sightings written straight into {@code users}
 * and {@code user_name_history} by one JDBC connection with user-service's own statements ({@link WriterStatements}).
 */
final class CeilingWriter {

    /** How a batch reaches PostgreSQL: the writer's own array-parameter statements (the only way the service has). */
    enum Method { UNNEST }

    private CeilingWriter() {
    }

    /** Writes {@code s} in batches of {@code batch}; returns sightings/s. */
    static double write(Connection c, SteadyStream.Sighting[] s, int batch, Method method) throws SQLException {
        c.setAutoCommit(false);
        WriterStatements writer = WriterStatements.prepare(c);
        c.commit();
        List<UserSnapshots> batches = new ArrayList<>();
        for (int from = 0; from < s.length; from += batch) {
            List<UserSeen> sightings = new ArrayList<>();
            for (int i = from; i < Math.min(s.length, from + batch); i++) {
                sightings.add(SteadyStream.seen(s[i], i));
            }
            batches.add(UserSnapshots.of(sightings));
        }
        long t0 = System.nanoTime();
        for (UserSnapshots b : batches) {
            writer.upsert(b);
            writer.recordNames(b);
            c.commit();
        }
        c.setAutoCommit(true);
        return s.length / ((System.nanoTime() - t0) / 1e9);
    }

    /** Variant label, e.g. "unnest × 2000". */
    static String label(Method m, int batch) {
        return String.format(Locale.ROOT, "user-service's statements (unnest arrays + INSERT … ON CONFLICT), batches of %,d", batch);
    }

    /**
     * Variants from {@code unnest:2000,unnest:5000} (method and batch size each); blank = {@link #defaultVariants()}.
     */
    static List<int[]> parseVariants(String spec) {
        if (spec == null || spec.isBlank()) {
            return defaultVariants();
        }
        List<int[]> v = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] mb = part.trim().split(":");
            if (mb.length != 2) {
                throw new IllegalArgumentException("ceiling variant " + part + ": expected method:batch, e.g. unnest:2000");
            }
            if (!"unnest".equalsIgnoreCase(mb[0].trim())) {
                throw new IllegalArgumentException("ceiling variant " + part + ": the method is unnest (user-service's own statements)");
            }
            Method m = Method.UNNEST;
            v.add(new int[]{m.ordinal(), Integer.parseInt(mb[1].trim())});
        }
        return v;
    }

    static List<int[]> defaultVariants() {
        List<int[]> v = new ArrayList<>();
        v.add(new int[]{Method.UNNEST.ordinal(), 500});
        v.add(new int[]{Method.UNNEST.ordinal(), 2000});
        v.add(new int[]{Method.UNNEST.ordinal(), 5000});
        return v;
    }
}
