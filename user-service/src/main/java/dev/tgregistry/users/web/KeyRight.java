package dev.tgregistry.users.web;

import java.util.Locale;

/** What an API key may do. Every {@code /api/*} call needs READ; an endpoint that needs more says so with {@link Requires}. */
public enum KeyRight {
    /** Read anything the API serves (dashboards). */
    READ,
    /** Change data: profiles, stream changes, booking edits (bots, admin dashboards). */
    WRITE,
    /** Erase or export a person's data (privacy officers). */
    ERASE,
    /** Operate the pipeline: re-publish dead letters (SREs). */
    ADMIN;

    public static KeyRight parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("app.api-keys: unknown right '" + name.strip() + "' (read, write, erase, admin)");
        }
    }
}
