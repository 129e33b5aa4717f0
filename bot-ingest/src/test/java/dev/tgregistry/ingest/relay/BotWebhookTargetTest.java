package dev.tgregistry.ingest.relay;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bot's URL is parsed once at start: what each delivery's request line and connection are made of. */
class BotWebhookTargetTest {
    @Test
    void theRequestLineKeepsThePathAndQueryAsConfiguredStillEncoded() {
        assertEquals("/bot/hook%20x?token=a%2Fb&x=1",
                BotWebhook.requestUri(URI.create(BotWebhook.checkedTarget("http://bot:8443/bot/hook%20x?token=a%2Fb&x=1"))));
        assertEquals("/", BotWebhook.requestUri(URI.create("http://bot")));
        assertEquals("/?a=1", BotWebhook.requestUri(URI.create("http://bot?a=1")));
    }

    @Test
    void thePortIsTheConfiguredOneOrTheSchemesDefault() {
        assertEquals(8443, BotWebhook.port(URI.create("http://bot:8443/hook")));
        assertEquals(80, BotWebhook.port(URI.create("http://bot/hook")));
        assertEquals(443, BotWebhook.port(URI.create("HTTPS://bot/hook")));
    }

    @Test
    void onlyAnAbsoluteHttpUrlIsATarget() {
        assertThrows(IllegalStateException.class, () -> BotWebhook.checkedTarget("/hook"));
        assertThrows(IllegalStateException.class, () -> BotWebhook.checkedTarget("ftp://bot/hook"));
        assertThrows(IllegalStateException.class, () -> BotWebhook.checkedTarget("http://bot hook"));
    }

    @Test
    void theConnectionLimitIsSharedOutOverTheEventLoopsWithAtLeastOneEach() {
        assertEquals(32, BotWebhook.perEventLoop(64, 2));
        assertEquals(16, BotWebhook.perEventLoop(64, 4));
        assertEquals(1, BotWebhook.perEventLoop(1, 4));
        assertEquals(64, BotWebhook.perEventLoop(64, 0));
    }

    @Test
    void telegramsOwnConcurrencyNeverOverflowsTheWaitQueue() {
        assertEquals(128, BotWebhook.waitQueue(32), "4 waiting per connection");
        assertEquals(100, BotWebhook.waitQueue(1), "Telegram keeps at most 100 deliveries in flight per webhook");
        assertEquals(100, BotWebhook.waitQueue(BotWebhook.perEventLoop(8, 2)));
    }
}
