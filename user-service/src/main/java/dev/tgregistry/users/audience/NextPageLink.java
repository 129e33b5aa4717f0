package dev.tgregistry.users.audience;

import jakarta.ws.rs.core.UriInfo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The path and query of a filtered list as the next page's Link repeats them: everything but the page's own limit and cursor. */
public final class NextPageLink {
    private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor");

    private NextPageLink() {
    }

    public static String of(UriInfo uri) {
        StringBuilder link = new StringBuilder(uri.getPath());
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            if (PAGE_PARAMETERS.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                link.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return link.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
