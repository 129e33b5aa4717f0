package dev.tgregistry.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/** service-web's settings, set in each service's application.properties (env {@code APP_HTTP_...}). */
@ConfigMapping(prefix = "app")
public interface EdgeConfig {
    Http http();

    Problem problem();

    interface Http {
        /** A request line over this is a 414 (below Vert.x's own limit). */
        int maxInitialLineLength();

        /** A header block over this is a 431 (below Vert.x's own limit). */
        MemorySize maxHeaderSize();
    }

    interface Problem {
        /** The title of an unexpected 500. */
        String unexpectedTitle();
    }
}
