package dev.tgregistry.users.edits;

import dev.tgregistry.users.web.ApiKeyFilter;
import dev.tgregistry.users.web.ApiKeys;
import jakarta.ws.rs.container.ContainerRequestContext;

/** Who makes an edit: the non-secret id of the request's API key (set by {@link ApiKeyFilter}). */
public final class Editor {
    private Editor() {
    }

    public static String keyId(ContainerRequestContext request) {
        Object caller = request.getProperty(ApiKeyFilter.CALLER);
        if (caller instanceof ApiKeys.Caller known) {
            return known.keyId();
        }
        throw new IllegalStateException("no API key caller on an /api request");
    }
}
