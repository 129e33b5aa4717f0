package dev.tgregistry.ingest.relay;

import dev.tgregistry.web.ServerErrors;
import io.netty.channel.ConnectTimeoutException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeoutException;

/**
 * The bot could not be reached or did not answer in time: Telegram gets a failure status (so it sends the update
 * again, as it would have to the bot itself), problem+json with the trace id of the WARN line.
 */
final class BotFailure {
    private static final Logger LOG = Logger.getLogger(BotFailure.class);

    private BotFailure() {
    }

    static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof ConnectTimeoutException
                || failure instanceof io.smallrye.mutiny.TimeoutException;
    }

    static Response answer(Throwable failure) {
        if (isTimeout(failure)) {
            return ServerErrors.logAndAnswer(LOG, Logger.Level.WARN, "relay: the bot's webhook did not answer in time", null,
                    504, "Bot timeout", "the bot's webhook did not answer in time; Telegram sends the update again");
        }
        return ServerErrors.logAndAnswer(LOG, Logger.Level.WARN, "relay: the bot's webhook is unreachable ("
                        + failure.getClass().getSimpleName() + ")", null,
                502, "Bot unreachable", "the bot's webhook could not be reached; Telegram sends the update again");
    }
}
