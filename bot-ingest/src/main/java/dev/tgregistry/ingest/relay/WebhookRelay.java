package dev.tgregistry.ingest.relay;

import dev.tgregistry.ingest.IngestConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Relay mode ({@code app.relay.target-url} set): Telegram's webhook points at {@code POST /telegram/updates}; each
 * delivery is forwarded unchanged to the bot's own webhook and the bot's answer (status, content type, body) goes
 * back to Telegram as it is. Once the bot answered 2xx (Telegram's "delivered"), the update's sightings go to the
 * {@link SightingSpool}, which publishes them to Kafka off the bot's path: a Kafka outage never delays the answer.
 * A bot that is down or too slow gives Telegram 502 / 504, so Telegram retries, and nothing is published for that
 * delivery (the retry that gets through publishes it once).
 */
@ApplicationScoped
public class WebhookRelay {
    private static final Logger LOG = Logger.getLogger(WebhookRelay.class);
    private static final String DELIVERED = "delivered";
    private static final String BOT_REFUSED = "bot_refused";
    private static final String TIMEOUT = "timeout";
    private static final String UNREACHABLE = "unreachable";

    private final boolean enabled;
    private final Instance<BotWebhook> webhook;
    private final Instance<SightingSpool> spool;
    private final RelayWarmUp warmUp;
    /** The two beans themselves, looked up once at start rather than through Instance and a proxy per delivery. */
    private volatile BotWebhook bot;
    private volatile SightingSpool sightings;
    private final Counter withoutSightings;
    private final Map<String, Counter> outcomes = new HashMap<>();

    public WebhookRelay(IngestConfig ingestConfig, Instance<BotWebhook> webhook, Instance<SightingSpool> spool, @Readiness RelayWarmUp warmUp,
                        MeterRegistry metrics) {
        RelayConfig config = ingestConfig.relay();
        this.enabled = config.targetUrl().filter(url -> !url.isBlank()).isPresent();
        this.webhook = webhook;
        this.spool = spool;
        this.warmUp = warmUp;
        this.withoutSightings = Counter.builder("relay.updates.without.sightings")
                .description("Relayed updates whose users could not be read (forwarded all the same)").register(metrics);
        for (String outcome : List.of(DELIVERED, BOT_REFUSED, TIMEOUT, UNREACHABLE)) {
            outcomes.put(outcome, Counter.builder("relay.updates").tag("outcome", outcome)
                    .description("Telegram deliveries relayed to the bot, by outcome").register(metrics));
        }
    }

    /** Starts the relay's beans with the application, so a wrong target URL fails the start, not Telegram's first update. */
    void onStart(@Observes StartupEvent started) {
        if (enabled) {
            bot = ClientProxy.unwrap(webhook.get());
            sightings = ClientProxy.unwrap(spool.get());
            LOG.info("relay mode: Telegram's updates are forwarded to the bot's webhook (app.relay.target-url)");
        }
    }

    void onStop(@Observes ShutdownEvent stopping) {
        if (enabled) {
            spool.get().logLeftOnStop();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Forwards one Telegram delivery; the Uni yields the bot's answer or a 502/504 problem. A request carrying the
     * warm-up token ({@code warmUpHeader}) goes to the warm-up's sink instead, see {@link RelayWarmUp}.
     */
    public Uni<Response> relay(byte[] body, String warmUpHeader) {
        if (warmUp.isWarmUp(warmUpHeader)) {
            return warmUp.deliver(body);
        }
        RelayedUpdate update = RelayedUpdate.read(body, Instant.now());
        if (update.unreadable()) {
            withoutSightings.increment();
        }
        BotWebhook target = bot != null ? bot : webhook.get();
        SightingSpool queue = sightings != null ? sightings : spool.get();
        return target.forward(body)
                .map(answer -> {
                    outcomes.get(answer.delivered() ? DELIVERED : BOT_REFUSED).increment();
                    if (answer.delivered()) {
                        queue.offer(update.sightings());
                    }
                    return answer.toResponse();
                })
                .onFailure().recoverWithItem(failure -> {
                    outcomes.get(BotFailure.isTimeout(failure) ? TIMEOUT : UNREACHABLE).increment();
                    return BotFailure.answer(failure);
                });
    }
}
