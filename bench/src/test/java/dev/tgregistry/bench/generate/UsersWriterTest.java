package dev.tgregistry.bench.generate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** COPY's text format, shared by the generator, the preload and the ceiling writer: nulls and escapes. */
class UsersWriterTest {

    @Test
    void nullIsBackslashN() {
        assertEquals("\\N", UsersWriter.copyText(new StringBuilder(), null).toString());
    }

    @Test
    void separatorsAndBackslashesAreEscapedAndOtherTextKept() {
        assertEquals("a\\tb\\nc\\rd\\\\e Ёж سلام",
                UsersWriter.copyText(new StringBuilder(), "a\tb\nc\rd\\e Ёж سلام").toString());
    }
}
