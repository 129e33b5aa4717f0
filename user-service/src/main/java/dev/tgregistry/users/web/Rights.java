package dev.tgregistry.users.web;

import java.util.List;
import java.util.Locale;

/**
 * What an API key may do: its rights are the roles of its {@code SecurityIdentity}, which resources name in
 * {@code @RolesAllowed}. Every key has {@link #READ}; a method that needs more says so.
 */
public final class Rights {
    /** Read anything the API serves (dashboards). */
    public static final String READ = "read";
    /** Change data: profiles, stream changes, booking edits, segments, send results (bots, admin dashboards). */
    public static final String WRITE = "write";
    /** Erase or export a person's data (privacy officers). */
    public static final String ERASE = "erase";
    /** Operate the pipeline: re-publish dead letters, adoption (SREs). */
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(READ, WRITE, ERASE, ADMIN);

    private Rights() {
    }

    /** The right named {@code name} (any case, blanks around it ignored); an unknown name stops the service at start. */
    public static String parse(String name) {
        String right = name.strip().toLowerCase(Locale.ROOT);
        if (!ALL.contains(right)) {
            throw new IllegalArgumentException("app.api-keys: unknown right '" + name.strip() + "' (read, write, erase, admin)");
        }
        return right;
    }
}
