package dev.tgregistry.bench.ingest;

import dev.tgregistry.bench.generate.Names;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The steady stream: skewed returning users, ~1% renames, dated so that a rename can win. */
class SteadyStreamTest {

    private static List<SteadyStream.Known> users(int n) {
        List<SteadyStream.Known> k = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            k.add(new SteadyStream.Known(1000 + i, new Names.Person("user" + i, "First" + i, null, "ru")));
        }
        return k;
    }

    @Test
    void renamesAreAboutTheShareAskedAndLaterSightingsCarryThem() {
        SteadyStream s = new SteadyStream(users(5000), 1.1, 0.01, 3);
        SteadyStream.Sighting[] out = s.next(200_000, 1_000_000, 20_000);
        assertEquals(2000, s.changes(), 300);
        Map<Long, Names.Person> current = new HashMap<>();
        Map<Long, Long> lastDate = new HashMap<>();
        int renames = 0;
        for (int i = 0; i < out.length; i++) {
            SteadyStream.Sighting x = out[i];
            assertEquals(1_000_000 + i / 20_000, x.date(), "dates follow the logical clock, never ahead of it");
            Names.Person before = current.put(x.userId(), x.person());
            Long previous = lastDate.put(x.userId(), x.date());
            if (before != null && !before.equals(x.person())) {
                renames++;
                assertTrue(x.date() > previous, "a rename is dated after the user's previous sighting");
                assertTrue(!Objects.equals(before.firstName(), x.person().firstName())
                        || !Objects.equals(before.username(), x.person().username()));
            }
            if (previous != null) {
                assertTrue(x.date() >= previous, "dates never go back for a user");
            }
        }
        assertTrue(renames > 1500 && renames <= s.changes(), "renames seen: " + renames);
        assertTrue(out[out.length - 1].date() >= 1_000_000 + 200_000 / 20_000 - 1);
    }

    @Test
    void fewUsersTakeMostSightings() {
        SteadyStream s = new SteadyStream(users(50_000), 1.1, 0, 5);
        Map<Long, Integer> counts = new HashMap<>();
        for (SteadyStream.Sighting x : s.next(100_000, 0, 20_000)) {
            counts.merge(x.userId(), 1, Integer::sum);
        }
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        assertTrue(max > 5_000, "the hottest user: " + max);
        assertTrue(counts.size() < 40_000, "distinct users: " + counts.size());
    }
}
