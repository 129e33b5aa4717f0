package dev.tgregistry.users.web;

import dev.tgregistry.web.Secrets;
import dev.tgregistry.users.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys and their rights: {@code app.api-keys} is a comma-separated list of {@code key} or
 * {@code key:right+right} (rights read, write, erase, admin). A bare key has read and write; erase and admin are
 * never implied.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Set<String> BARE_KEY_RIGHTS = Set.of(Rights.READ, Rights.WRITE);

    /** A key that matched: a non-secret name for logs, traces and audit rows, and its rights. */
    public record Caller(String keyId, Set<String> rights) {
    }

    private record Key(byte[] secret, Caller caller) {
    }

    private final List<Key> keys = new ArrayList<>();

    @Inject
    public ApiKeys(RegistryConfig config) {
        this(config.apiKeys());
    }

    public ApiKeys(List<String> entries) {
        for (String entry : entries) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            String secret = colon < 0 ? trimmed : trimmed.substring(0, colon);
            Set<String> rights = new LinkedHashSet<>(colon < 0 ? BARE_KEY_RIGHTS : Set.of(Rights.READ));
            if (colon >= 0) {
                for (String right : trimmed.substring(colon + 1).split("\\+")) {
                    rights.add(Rights.parse(right));
                }
            }
            keys.add(new Key(Secrets.bytes(secret), new Caller(keyId(secret), Set.copyOf(rights))));
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
