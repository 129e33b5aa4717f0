package dev.tgregistry.users.segment;

import static dev.tgregistry.users.TestSupport.scalar;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests fold the event summary when they mean to (the job's schedule is off in tests). */
final class SummaryFolds {
    private SummaryFolds() {
    }

    /** Folds until the watermark is past every event written so far (the safe horizon may need a second pass). */
    static void foldEverything(EventSummaryJob job) throws InterruptedException {
        long top = ((Number) scalar("SELECT COALESCE(max(id), 0) FROM events")).longValue();
        for (int pass = 0; pass < 200 && folded() < top; pass++) {
            job.foldAll().await().indefinitely();
            if (folded() < top) {
                Thread.sleep(50); // a transaction of another test's consumer may still be open
            }
        }
        assertTrue(folded() >= top, "folded up to " + folded() + ", events up to " + top);
    }

    static long folded() {
        return ((Number) scalar("SELECT folded_up_to FROM event_summary_state")).longValue();
    }
}
