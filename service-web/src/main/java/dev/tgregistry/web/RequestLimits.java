package dev.tgregistry.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * The sizes a request on the API port is held to, checked from its request line and headers before anything reads
 * the body: request line ({@code app.http.max-initial-line-length}, 414), header block ({@code app.http.max-header-size},
 * 431), body ({@code quarkus.http.limits.max-body-size} by Content-Length, 413; a body of undeclared length, 411).
 * Vert.x's own line and header limits must lie above these: past them it refuses the request itself with an empty
 * 414/431 body, before any handler runs (Quarkus 3.34 offers no hook into Vert.x's invalid-request handler).
 */
@Singleton
public class RequestLimits {
    private static final String HTTP_VERSION = "HTTP/1.1";
    private static final String TOO_LARGE = "Content Too Large";

    private final int maxInitialLine;
    private final long maxHeaderSize;
    private final long maxBodySize;

    /** The {@code quarkus.http.limits.*} settings are Quarkus' own, read under their own names. */
    public RequestLimits(EdgeConfig config,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                         @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int serverMaxInitialLine,
                         @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize serverMaxHeaderSize) {
        int maxInitialLine = config.http().maxInitialLineLength();
        MemorySize maxHeaderSize = config.http().maxHeaderSize();
        if (maxInitialLine >= serverMaxInitialLine || maxHeaderSize.asLongValue() >= serverMaxHeaderSize.asLongValue()) {
            throw new IllegalArgumentException("app.http.max-initial-line-length and app.http.max-header-size must be below"
                    + " quarkus.http.limits.max-initial-line-length and max-header-size, or Vert.x answers first, without a body");
        }
        this.maxInitialLine = maxInitialLine;
        this.maxHeaderSize = maxHeaderSize.asLongValue();
        this.maxBodySize = maxBodySize.asLongValue();
    }

    /** The problem with {@code request}'s size, or null when it is within every limit. */
    public ApiProblem check(HttpServerRequest request) {
        long line = request.method().name().length() + 1 + request.uri().length() + 1 + HTTP_VERSION.length();
        if (line > maxInitialLine) {
            return ApiProblem.of(414, "URI Too Long", "request line of " + line + " bytes exceeds the limit of " + maxInitialLine + " bytes");
        }
        long headers = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headers += header.getKey().length() + 2 + header.getValue().length();
        }
        if (headers > maxHeaderSize) {
            return ApiProblem.of(431, "Request Header Fields Too Large",
                    "request headers of " + headers + " bytes exceed the limit of " + bytes(maxHeaderSize));
        }
        return checkBody(request);
    }

    private ApiProblem checkBody(HttpServerRequest request) {
        if (request.headers().contains("Transfer-Encoding")) {
            return ApiProblem.of(411, "Length Required", "a request body needs a Content-Length header;"
                    + " Transfer-Encoding is not accepted");
        }
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return null;
        }
        long declared;
        try {
            declared = Long.parseLong(length.strip());
        } catch (NumberFormatException malformed) {
            return ApiProblem.of(400, "Bad Request", "Content-Length must be a number of bytes");
        }
        return declared > maxBodySize
                ? tooLarge("request body of " + declared + " bytes exceeds the limit of " + bytes(maxBodySize)).problem()
                : null;
    }

    /** 413, whatever was too large: the request's body (checked here) or a record in it (a service's own check). */
    public static ApiException tooLarge(String message) {
        return new ApiException(413, TOO_LARGE, message);
    }

    static String bytes(long count) {
        if (count % (1024 * 1024) == 0) {
            return count / (1024 * 1024) + " MiB";
        }
        return count % 1024 == 0 ? count / 1024 + " KiB" : count + " bytes";
    }
}
