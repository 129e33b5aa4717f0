package dev.tgregistry.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Opt-in server settings (tests only; ./run-local stays plain) that make a {@link LocalPostgres} speak TLS with a
 * certificate from a {@link ThrowAwayCa} and refuse every TCP connection without it: its own {@code pg_hba.conf} has
 * only {@code hostssl} lines, so a client that falls back to plaintext (or never tries TLS) is turned away with
 * "no pg_hba.conf entry ... no encryption". Authentication stays {@code trust}, as in plain mode.
 *
 * <pre>{@code
 * ThrowAwayCa ca = ThrowAwayCa.create("test CA");
 * LocalPostgres pg = LocalPostgres.start(0, null, "users", PostgresTls.settings(ca, dir));
 * }</pre>
 */
public final class PostgresTls {
    /**
     * The only name in the server certificate: a verify-full client must connect to {@code localhost}; one that
     * reaches the same server as {@code 127.0.0.1} is refused, which is how a test sees the host name checked.
     */
    public static final String HOST_NAME = "localhost";

    private PostgresTls() {
    }

    /** Issues the server certificate, writes it, its key and the hba file under {@code dir}, and returns the settings. */
    public static Map<String, String> settings(ThrowAwayCa ca, Path dir) {
        ThrowAwayCa.Issued server = ca.issue(HOST_NAME, List.of(HOST_NAME), List.of());
        Path absolute = dir.toAbsolutePath().normalize();
        Path certificate = server.writeCertificateChain(absolute.resolve("postgres-server.crt"));
        Path key = server.writeKey(absolute.resolve("postgres-server.key"));
        Path hba = absolute.resolve("pg_hba_tls_only.conf");
        try {
            Files.writeString(hba, String.join("\n",
                    "local all all trust",
                    "hostssl all all 127.0.0.1/32 trust",
                    "hostssl all all ::1/128 trust",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "ssl", "on",
                "ssl_cert_file", certificate.toString(),
                "ssl_key_file", key.toString(),
                "hba_file", hba.toString());
    }
}
