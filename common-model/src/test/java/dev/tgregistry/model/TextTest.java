package dev.tgregistry.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storability rules shared by bot-ingest and user-service. */
class TextTest {

    @Test
    void findsWhatPostgresCannotStore() {
        assertNull(Text.problemIn("Сергей 漢字 😀\t\n\u0007"), "controls other than NUL are storable");
        assertTrue(Text.problemIn("a\u0000b").contains("NUL"));
        assertTrue(Text.problemIn("a\uD800b").contains("lone surrogate at index 1"));
        assertTrue(Text.problemIn("a\uDC00").contains("lone surrogate"));
        assertNull(Text.problemIn(null));
    }

    @Test
    void cleansWhatTelegramSent() {
        assertEquals("AB\tC\nD", Text.clean("A\u0000B\tC\nD\r\u001F"));
        assertEquals("x\uFFFDy\uFFFD", Text.clean("x\uD800y\uDC00"));
        assertEquals("😀", Text.clean("😀"));
        String clean = "already clean";
        assertSame(clean, Text.clean(clean));
    }

    @Test
    void truncatesByCharactersAndBytesNeverInsideAPair() {
        assertEquals("漢漢", Text.truncate("漢漢漢", 10, 7));
        assertEquals("ab", Text.truncate("abc", 2, 100));
        assertEquals("a", Text.truncate("a😀", 2, 100), "the pair would straddle the 2-character limit");
        assertEquals("a😀", Text.truncate("a😀b", 3, 5));
    }

    @Test
    void namesAreLimitedInBytesToo() {
        TelegramUser persian = new TelegramUser(1L, false, null, "س".repeat(256), null, null, null);
        persian.validateAt("");
        TelegramUser cjk = new TelegramUser(1L, false, null, "漢".repeat(256), null, null, null);
        ContractViolation violation = assertThrows(ContractViolation.class, () -> cjk.validateAt("user."));
        assertEquals("user.first_name", violation.field());
    }

    @Test
    void normalisedUserIsStorableAndEmptyNamesAreAbsent() {
        TelegramUser user = new TelegramUser(5L, false, "", "漢".repeat(300), "", "e\u0000n", null).normalised();
        assertNull(user.username());
        assertNull(user.lastName());
        assertEquals(170, user.firstName().length());
        assertEquals("en", user.languageCode());
        user.validateAt("");
    }

    @Test
    void timesBeforeTheBotPlatformOrAheadOfTheClockAreImplausible() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        assertTrue(RecordTimes.isPlausible(now.plusSeconds(299), now));
        assertEquals(now, RecordTimes.plausibleOr(now.plusSeconds(301), now));
        assertEquals(now, RecordTimes.plausibleOr(Instant.parse("2012-12-31T23:59:59Z"), now));
        assertEquals(RecordTimes.EARLIEST, RecordTimes.plausibleOr(RecordTimes.EARLIEST, now));
        assertThrows(ContractViolation.class, () -> RecordTimes.check("lesson_date", LocalDate.of(2101, 1, 1)));
        RecordTimes.check("lesson_date", LocalDate.of(2100, 12, 31));
    }
}
