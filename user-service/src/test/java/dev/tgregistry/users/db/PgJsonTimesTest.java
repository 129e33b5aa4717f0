package dev.tgregistry.users.db;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PgJsonTimesTest {

    @Test
    void readsWhatPostgresWritesIntoJson() {
        assertEquals(Instant.parse("2026-02-01T06:45:30.123456Z"), PgJsonTimes.instant("2026-02-01T10:15:30.123456+03:30"));
        assertEquals(Instant.parse("2026-02-01T10:15:30Z"), PgJsonTimes.instant("2026-02-01T10:15:30+00:00"));
        assertEquals(Instant.parse("2026-02-01T18:15:30.100Z"), PgJsonTimes.instant("2026-02-01T10:15:30.1-08:00"));
        // Europe/Amsterdam before 1937 had an offset with seconds
        assertEquals(Instant.parse("1920-06-01T11:40:32Z"), PgJsonTimes.instant("1920-06-01T12:00:00+00:19:28"));
        assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"), PgJsonTimes.instant("1969-12-31T23:59:59.999999+00:00"));
        assertEquals(OffsetDateTime.MAX.toInstant(), PgJsonTimes.instant("infinity"));
        assertEquals(OffsetDateTime.MIN.toInstant(), PgJsonTimes.instant("-infinity"));
        assertNull(PgJsonTimes.instant(null));
        assertEquals(LocalDate.of(2026, 2, 28), PgJsonTimes.date("2026-02-28"));
        assertEquals(LocalDate.MAX, PgJsonTimes.date("infinity"));
        assertEquals(LocalDate.MIN, PgJsonTimes.date("-infinity"));
        assertNull(PgJsonTimes.date(null));
    }

    @Test
    void agreesWithTheJdkOnRandomTimesAndOffsets() {
        SplittableRandom random = new SplittableRandom(25);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 200_000_000_000L), random.nextInt(1_000_000) * 1_000L);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-14 * 60, 14 * 60 + 1) * 60);
            String written = asPostgresWritesIt(OffsetDateTime.ofInstant(at, offset));
            assertEquals(OffsetDateTime.parse(written).toInstant(), PgJsonTimes.instant(written), written);
            String date = LocalDate.ofEpochDay(random.nextLong(-700_000, 2_900_000)).toString();
            assertEquals(LocalDate.parse(date), PgJsonTimes.date(date), date);
        }
    }

    /** json's timestamptz: always seconds, the fraction without trailing zeros, the offset as +HH:MM. */
    private static String asPostgresWritesIt(OffsetDateTime at) {
        String fraction = at.getNano() == 0 ? "" : ("." + String.format("%06d", at.getNano() / 1_000)).replaceAll("0+$", "");
        int offset = at.getOffset().getTotalSeconds();
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s%02d:%02d", at.getYear(), at.getMonthValue(), at.getDayOfMonth(),
                at.getHour(), at.getMinute(), at.getSecond(), fraction, offset < 0 ? "-" : "+", Math.abs(offset) / 3600, Math.abs(offset) / 60 % 60);
    }

    @Test
    void otherShapesGoToTheJdkAndBadOnesFail() {
        assertEquals(Instant.parse("+10000-01-01T00:00:00Z"), PgJsonTimes.instant("+10000-01-01T00:00:00Z"));
        assertThrows(DateTimeParseException.class, () -> PgJsonTimes.instant("2026-02-30T10:15:30+00:00"));
        assertThrows(DateTimeParseException.class, () -> PgJsonTimes.instant("2026-02-01T24:15:30+00:00"));
        assertEquals(Instant.parse("2026-02-01T10:15:30Z"), PgJsonTimes.instant("2026-02-01T10:15:30.+00:00"), "as the JDK reads it");
        assertThrows(DateTimeParseException.class, () -> PgJsonTimes.instant("2026-02-01T10:15:30+0300"));
        assertThrows(DateTimeParseException.class, () -> PgJsonTimes.date("2026-13-01"));
    }
}
