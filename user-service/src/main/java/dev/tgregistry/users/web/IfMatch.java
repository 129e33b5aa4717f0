package dev.tgregistry.users.web;

import java.util.ArrayList;
import java.util.List;

/** The If-Match header of a write to a versioned resource (its ETag is the version in quotes). */
public final class IfMatch {
    private IfMatch() {
    }

    /**
     * The versions an If-Match header allows: null without the header, empty for {@code *}. Tags are the version in
     * quotes (a bare number is accepted too); If-Match compares strongly (RFC 9110), so a weak tag ({@code W/"3"})
     * matches no version, like anything else that is not ours.
     */
    public static List<Long> versions(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        List<Long> versions = new ArrayList<>();
        for (String tag : ifMatch.split(",")) {
            String value = tag.strip();
            if (value.equals("*")) {
                return List.of();
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            try {
                versions.add(Long.parseLong(value));
            } catch (NumberFormatException notOurs) {
                versions.add(-1L);
            }
        }
        return versions;
    }
}
