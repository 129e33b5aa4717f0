package dev.tgregistry.users.web;

import dev.tgregistry.web.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys and their rights: {@code app.api-keys} is a comma-separated list of {@code key} or
 * {@code key:right+right} (rights read, write, erase, admin). A bare key has read and write (what every key could
 * do before rights existed); erase and admin are never implied.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Set<KeyRight> BARE_KEY_RIGHTS = EnumSet.of(KeyRight.READ, KeyRight.WRITE);

    /** A key that matched: its rights and a non-secret name for logs and audit rows. */
    public record Caller(String keyId, Set<KeyRight> rights) {
    }

    private record Key(byte[] secret, Caller caller) {
    }

    private final List<Key> keys = new ArrayList<>();

    public ApiKeys(@ConfigProperty(name = "app.api-keys") List<String> entries) {
        for (String entry : entries) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            String secret = colon < 0 ? trimmed : trimmed.substring(0, colon);
            Set<KeyRight> rights = colon < 0 ? EnumSet.copyOf(BARE_KEY_RIGHTS) : EnumSet.noneOf(KeyRight.class);
            if (colon >= 0) {
                for (String right : trimmed.substring(colon + 1).split("\\+")) {
                    rights.add(KeyRight.parse(right));
                }
                rights.add(KeyRight.READ);
            }
            keys.add(new Key(Secrets.bytes(secret), new Caller(keyId(secret), rights)));
        }
    }

    /** The caller whose key this is; every key is compared, each in constant time. */
    public Optional<Caller> find(String given) {
        byte[] candidate = Secrets.bytes(given);
        Caller found = null;
        for (Key key : keys) {
            if (Secrets.matches(key.secret(), candidate)) {
                found = key.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** "key-" and the first 12 hex digits of the key's SHA-256: names a key without revealing it. */
    static String keyId(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "key-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
