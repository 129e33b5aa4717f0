package dev.tgregistry.localstack;

import java.net.URL;

/** Test URLs: a path under a base such as the management interface's root ({@code http://localhost:PORT/q}). */
public final class Urls {
    private Urls() {
    }

    /** {@code base} without a trailing slash, then {@code path} (which starts with a slash). */
    public static String at(URL base, String path) {
        String root = base.toString();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        return root + path;
    }
}
