package dev.tgregistry.users.audience;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 4180 escaping, and text a spreadsheet would run as a formula neutralised (OWASP CSV injection). */
class CsvTest {
    private static String record(Object... fields) {
        StringBuilder out = new StringBuilder();
        Csv.appendRecord(out, Arrays.asList(fields));
        return out.toString();
    }

    @Test
    void textStartingLikeAFormulaGetsAQuoteAndIsQuoted() {
        assertEquals("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\r\n", record("=HYPERLINK(\"http://evil\",\"x\")"));
        for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", "=", "@")) {
            String field = record(formula);
            assertEquals("\"'" + formula.replace("\"", "\"\"") + "\"\r\n", field, formula);
        }
    }

    @Test
    void otherTextNumbersBooleansAndTimestampsStayExact() {
        assertEquals("a=1,x-y,Smith@x.io, =1\r\n", record("a=1", "x-y", "Smith@x.io", " =1"));
        assertEquals("-5,-1.5,true,2026-01-02T03:04:05.000Z,\r\n",
                record(-5L, -1.5, true, Instant.parse("2026-01-02T03:04:05Z"), null));
        assertEquals("\"Smith, John\",\"Say \"\"hi\"\"\",\"line one\nline two\",سارا\r\n",
                record("Smith, John", "Say \"hi\"", "line one\nline two", "سارا"));
        assertEquals(",\r\n", record("", null));
    }
}
