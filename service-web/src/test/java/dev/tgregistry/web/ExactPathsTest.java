package dev.tgregistry.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactPathsTest {
    @Test
    void thePathsOfBothServicesPass() {
        for (String path : List.of("/", "/api/users/95450323", "/api/users/95450323/profile/history", "/api/users/",
                "/api/admin/dead-letters/telegram.user-seen.v1/replay", "/telegram/updates", "/bot/free-lessons",
                "/q/swagger-ui/", "/q/swagger-ui/index.html", "/q/openapi")) {
            assertNull(ExactPaths.check(path), path);
        }
    }

    @Test
    void everyOtherSpellingOfAPathIsRefused() {
        for (String path : List.of("/api/users/%201", "/api/users/1%20", "/api/users/%31", "/api/users/1;", "/api/users/1;p=x",
                "/api/users;p=x", "/api/users/%2e%2e/bookings", "/api/users/..%2fbookings", "/api/users/%2E%2E/bookings",
                "/api/users/../bookings", "/api/users/./1", "/api/users/%5c..%5cbookings", "/api/users/..\\bookings",
                "/api//users/1", "//api/users/1", "/api/users/1 ", "/api/users/\t1", "/api/users/١", "/api/users/1%00",
                "api/users/1", "/api/users/..", "/api/users/.")) {
            ApiProblem problem = ExactPaths.check(path);
            assertTrue(problem != null, path);
            assertEquals(400, problem.status());
            assertTrue(problem.detail().startsWith("path segment"), problem.detail());
        }
    }
}
