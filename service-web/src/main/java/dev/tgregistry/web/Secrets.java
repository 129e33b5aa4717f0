package dev.tgregistry.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** How both services compare a configured secret with what a request sent. */
public final class Secrets {
    private Secrets() {
    }

    public static byte[] bytes(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code given} equals {@code expected}, compared in the same time whatever the first differing byte is. */
    public static boolean matches(byte[] expected, String given) {
        return given != null && matches(expected, bytes(given));
    }

    /** The same for a candidate already encoded, e.g. once for several configured secrets. */
    public static boolean matches(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(expected, given);
    }
}
