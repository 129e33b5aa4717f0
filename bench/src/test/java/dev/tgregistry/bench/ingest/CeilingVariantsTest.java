package dev.tgregistry.bench.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** --ceiling-variants: the check's two variants, the ingest benchmark's three by default, a readable error otherwise. */
class CeilingVariantsTest {

    @Test
    void methodAndBatchPerVariant() {
        List<int[]> v = CeilingWriter.parseVariants("unnest:2000, unnest:5000");
        assertEquals(2, v.size());
        assertArrayEquals(new int[]{CeilingWriter.Method.UNNEST.ordinal(), 2000}, v.get(0));
        assertArrayEquals(new int[]{CeilingWriter.Method.UNNEST.ordinal(), 5000}, v.get(1));
    }

    @Test
    void blankMeansTheDefaultThree() {
        assertEquals(3, CeilingWriter.parseVariants("").size());
        assertEquals(3, CeilingWriter.parseVariants(null).size());
    }

    @Test
    void onlyTheWritersOwnStatementsAreACeiling() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CeilingWriter.parseVariants("copy:5000"));
        assertEquals("ceiling variant copy:5000: the method is unnest (user-service's own statements)", e.getMessage());
    }

    @Test
    void aVariantWithoutBatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CeilingWriter.parseVariants("unnest"));
        assertEquals("ceiling variant unnest: expected method:batch, e.g. unnest:2000", e.getMessage());
    }
}
