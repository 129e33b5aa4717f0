package dev.tgregistry.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL bundle chosen by OS and CPU, as the JVMs of each platform name them, is on the classpath. */
class PostgresBundleTest {
    private static final Map<String[], String> PLATFORMS = Map.of(
            new String[] {"Linux", "amd64"}, "postgres-linux-x86_64.txz",
            new String[] {"Linux", "aarch64"}, "postgres-linux-arm_64.txz",
            new String[] {"Mac OS X", "x86_64"}, "postgres-darwin-x86_64.txz",
            new String[] {"Mac OS X", "aarch64"}, "postgres-darwin-arm_64.txz");

    @Test
    void eachSupportedPlatformGetsItsOwnBundleAndItIsOnTheClasspath() throws IOException {
        for (Map.Entry<String[], String> platform : PLATFORMS.entrySet()) {
            String archive = PostgresBundle.archive(platform.getKey()[0], platform.getKey()[1]);
            assertEquals(platform.getValue(), archive, String.join(" ", platform.getKey()));
            try (InputStream in = PostgresBundle.class.getResourceAsStream("/" + archive)) {
                assertNotNull(in, archive + " is on local-stack's classpath");
            }
        }
    }

    @Test
    void otherPlatformsAreRefusedByName() {
        for (String[] platform : new String[][] {{"Windows 11", "amd64"}, {"Linux", "x86"}, {"Linux", "riscv64"}, {"FreeBSD", "amd64"}}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PostgresBundle.archive(platform[0], platform[1]));
            assertTrue(refused.getMessage().contains(platform[0] + " " + platform[1]), refused.getMessage());
        }
    }

    @Test
    void thisMachineGetsTheBundleOfItsPlatform() throws IOException {
        try (InputStream in = PostgresBundle.resolver().getPgBinary("ignored", "ignored")) {
            assertNotNull(in);
        }
    }
}
