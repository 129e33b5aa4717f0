package dev.tgregistry.users;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test classes' user-id ranges are well formed and pairwise disjoint. */
class TestUserIdsTest {

    @Test
    void rangesAreDisjoint() {
        TestUserIds[] ranges = TestUserIds.values();
        for (int i = 0; i < ranges.length; i++) {
            assertTrue(ranges[i].from() > 0 && ranges[i].from() <= ranges[i].to(), ranges[i] + " is empty or not positive");
            for (int j = i + 1; j < ranges.length; j++) {
                assertFalse(ranges[i].overlaps(ranges[j]), ranges[i] + " overlaps " + ranges[j]);
            }
        }
    }

    @Test
    void overlapIsDetected() {
        assertTrue(TestUserIds.SEARCH_QUERY.overlaps(TestUserIds.SEARCH_QUERY));
        assertFalse(TestUserIds.SEARCH_QUERY.overlaps(TestUserIds.COURSE_STREAM_QUERY));
    }
}
