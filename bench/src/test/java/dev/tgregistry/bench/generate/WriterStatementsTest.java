package dev.tgregistry.bench.generate;

import dev.tgregistry.users.consumer.UserWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The benchmarks bind user-service's own statements by position: one ? per writer parameter, in its order. */
class WriterStatementsTest {

    @Test
    void eachWriterStatementHasOnePlaceholderPerParameter() {
        assertEquals(16, count(WriterStatements.jdbc(UserWriter.UPSERT_USERS)));
        assertEquals(6, count(WriterStatements.jdbc(UserWriter.RECORD_NAMES)));
        assertEquals(1, count(WriterStatements.jdbc(UserWriter.CHECK_ERASURES)));
        assertFalse(WriterStatements.jdbc(UserWriter.UPSERT_USERS).contains("$"));
    }

    @Test
    void aParameterUsedTwiceOrOutOfOrderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WriterStatements.jdbc("SELECT $1, $1"));
        assertThrows(IllegalArgumentException.class, () -> WriterStatements.jdbc("SELECT $2, $1"));
    }

    private static int count(String sql) {
        return (int) sql.chars().filter(ch -> ch == '?').count();
    }
}
