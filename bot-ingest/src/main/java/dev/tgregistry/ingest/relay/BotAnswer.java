package dev.tgregistry.ingest.relay;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * What the bot's webhook answered: status, content type (null when it sent none) and body, returned to Telegram
 * as they are (a webhook-reply body such as {@code {"method":"sendMessage",...}} included).
 */
public record BotAnswer(int status, String contentType, byte[] body) {
    /** Telegram counts only a 2xx as delivered; anything else it sends again. */
    public boolean delivered() {
        return status >= 200 && status <= 299;
    }

    Response toResponse() {
        Response.ResponseBuilder response = Response.status(status);
        if (body.length > 0) {
            response.entity(body);
        }
        if (contentType != null) {
            response.header(HttpHeaders.CONTENT_TYPE, contentType);
        }
        return response.build();
    }
}
