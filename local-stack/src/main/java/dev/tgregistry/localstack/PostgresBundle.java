package dev.tgregistry.localstack;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.InputStream;
import java.util.Locale;

/**
 * Which of zonky's PostgreSQL binary bundles (all four are on local-stack's classpath) this machine runs: Linux or
 * macOS, on x86-64 or 64-bit ARM. Each bundle jar holds one archive, {@code postgres-<os>-<cpu>.txz}. Any other
 * platform gets an error naming it rather than a binary that cannot start.
 */
final class PostgresBundle {
    private PostgresBundle() {
    }

    /** The archive for {@code os.name} / {@code os.arch} as the JVM reports them. */
    static String archive(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("linux") ? "linux" : name.startsWith("mac") || name.startsWith("darwin") ? "darwin" : null;
        String cpu = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
        if (os == null || cpu == null) {
            throw new IllegalStateException("no embedded PostgreSQL for " + osName + " " + osArch
                    + ": local-stack runs on Linux and macOS, x86-64 or arm64 (docs/OPERATIONS.md, \"Where ./run-local runs\")");
        }
        return "postgres-" + os + "-" + cpu + ".txz";
    }

    /** A resolver for zonky that ignores its own platform guess and serves {@link #archive} of this JVM's platform. */
    static PgBinaryResolver resolver() {
        String archive = archive(System.getProperty("os.name"), System.getProperty("os.arch"));
        return (system, machineHardware) -> {
            InputStream in = PostgresBundle.class.getResourceAsStream("/" + archive);
            if (in == null) {
                throw new IllegalStateException(archive + " is not on the classpath (local-stack/pom.xml lists the bundles)");
            }
            return in;
        };
    }
}
