package dev.tgregistry.ingest;

import dev.tgregistry.ingest.relay.StubBot;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.KafkaTestClient.TopicWatch;
import dev.tgregistry.model.RecordJson;
import dev.tgregistry.model.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs docs/BOT-INTEGRATION.md's {@code registry_spool.py} (the block after {@code <!-- bot-kit: registry_spool.py -->})
 * with python3 against this bot-ingest: five updates of one user spooled while bot-ingest is unreachable, a new
 * client on the same directory (the bot restarted) replays them, and they reach Kafka in their order; a full disk
 * budget refuses the new record and keeps the spooled one. User id 9_740_000_001.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
class BotKitSpoolTest {
    private static final Pattern BLOCK = Pattern.compile("<!-- bot-kit: registry_spool.py -->\\s*```python\\n(.*?)```", Pattern.DOTALL);
    private static final long USER = 9_740_000_001L;
    private static final String DRIVER = String.join("\n",
            "import json, os, sys",
            "import registry_spool",
            "down, up, secret, directory, user = sys.argv[1:6]",
            "def update(i):",
            "    return {'update_id': 974000000 + i, 'message': {'message_id': i, 'date': 1763634900, 'text': 'hi',",
            "            'from': {'id': int(user), 'is_bot': False, 'first_name': 'Spool'}, 'chat': {'id': int(user), 'type': 'private'}}}",
            "spool = registry_spool.RegistrySpool(down, secret, directory)",
            "posted = [spool.post('/telegram/updates', update(i)) for i in range(1, 6)]",
            "sent_while_down = spool.flush_once()",
            "spool = registry_spool.RegistrySpool(up, secret, directory)  # the bot restarted; bot-ingest is back",
            "sent_after = spool.flush_once()",
            "small = registry_spool.RegistrySpool(down, secret, directory + '-small', max_bytes=400)",
            "budget = [small.post('/telegram/updates', update(90)), small.post('/telegram/updates', update(91))]",
            "kept = open(os.path.join(directory + '-small', 'registry-spool.jsonl')).read().count('\\n')",
            "print(json.dumps({'posted': posted, 'sent_while_down': sent_while_down, 'sent_after': sent_after,",
            "                  'left': os.path.exists(os.path.join(directory, 'registry-spool.jsonl')), 'budget': budget, 'kept': kept}))",
            "");

    @TestHTTPResource("/")
    URL api;

    @Test
    void theSpoolKeepsRecordsThroughAnOutageAndReplaysThemInOrder() throws Exception {
        Path kit = Files.createDirectories(Path.of("target", "bot-kit"));
        Matcher block = BLOCK.matcher(Files.readString(BotIntegrationDocTest.GUIDE));
        assertTrue(block.find(), "docs/BOT-INTEGRATION.md has the registry_spool.py block");
        Files.writeString(kit.resolve("registry_spool.py"), block.group(1));
        Files.writeString(kit.resolve("spool_driver.py"), DRIVER);
        Path spoolDir = Files.createTempDirectory("registry-spool-");
        String down = StubBot.url(StubBot.port("closed-" + System.nanoTime())).replace(StubBot.PATH, "");
        String up = api.toString().replaceAll("/$", "");

        try (TopicWatch userSeen = new TopicWatch(KafkaResource.bootstrapServers(), Topics.USER_SEEN)) {
            JsonNode result = RecordJson.MAPPER.readTree(python(kit, "spool_driver.py", down, up, IngestEndpointsTest.SECRET,
                    spoolDir.toString(), Long.toString(USER)));
            assertEquals("[true,true,true,true,true]", result.get("posted").toString(), "every record spooled");
            assertEquals(0, result.get("sent_while_down").asInt(), "nothing sent while bot-ingest is unreachable");
            assertEquals(5, result.get("sent_after").asInt(), "all replayed once it answers");
            assertEquals(false, result.get("left").asBoolean(), "the spool is emptied");
            assertEquals("[true,false]", result.get("budget").toString(), "a full budget refuses the new record");
            assertEquals(1, result.get("kept").asInt(), "and keeps the one spooled");

            List<ConsumerRecord<String, String>> seen = userSeen.awaitAny(
                    r -> r.key().equals(Long.toString(USER)) && r.value().contains("974000005"), Duration.ofSeconds(20));
            List<Long> order = seen.stream().filter(r -> r.key().equals(Long.toString(USER)))
                    .map(r -> readTree(r.value()).at("/source/update_id").asLong()).toList();
            assertEquals(List.of(974000001L, 974000002L, 974000003L, 974000004L, 974000005L), order, "in the order posted");
        }
    }

    private static String python(Path dir, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "python3 failed: " + err);
        return out.strip();
    }

    private static JsonNode readTree(String json) {
        try {
            return RecordJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
