package dev.tgregistry.users.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import dev.tgregistry.users.TestSupport;
import dev.tgregistry.users.TestUserIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs docs/BOT-INTEGRATION.md's {@code registry_profiles.py} (the block after
 * {@code <!-- bot-kit: registry_profiles.py -->}) with python3 against this user-service: a user without a profile
 * is (None, None) only on a 404; a write; a stale write (another writer in between) resolved by re-reading; and a
 * 503, a timeout and a refused connection each raise RegistryUnavailable instead of looking like a new user.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BotKitProfilesTest {
    private static final Path GUIDE = Path.of("..", "docs", "BOT-INTEGRATION.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- bot-kit: registry_profiles.py -->\\s*```python\\n(.*?)```", Pattern.DOTALL);
    private static final long USER = TestUserIds.BOT_KIT_PROFILES.from();
    private static final String DRIVER = String.join("\n",
            "import json, socket, sys, threading, urllib.request",
            "from http.server import BaseHTTPRequestHandler, HTTPServer",
            "from registry_profiles import Profiles, RegistryUnavailable",
            "url, key, user = sys.argv[1], sys.argv[2], int(sys.argv[3])",
            "out = {}",
            "profiles = Profiles(url, key)",
            "out['unknown'] = profiles.get(user)",
            "profile, etag = profiles.update(user, {'onboarding_completed': False, 'real_name': 'Kit'}, None)",
            "out['created'] = [profile['version'], etag]",
            "profile, etag = profiles.get(user)",
            "# another replica of the bot writes in between",
            "other = urllib.request.Request(f'{url}/api/users/{user}/profile', method='PATCH', data=b'{\"study_track\": \"python\"}',",
            "    headers={'Authorization': f'Bearer {key}', 'Content-Type': 'application/merge-patch+json'})",
            "urllib.request.urlopen(other).read()",
            "profile, etag = profiles.update(user, {'onboarding_completed': True}, etag)",
            "out['after_stale'] = [profile['version'], etag, profile['onboarding_completed'], profile['study_track'], profile['real_name']]",
            "class Unavailable(BaseHTTPRequestHandler):",
            "    def do_GET(self):",
            "        self.send_response(503); self.send_header('Content-Length', '0'); self.end_headers()",
            "    def log_message(self, *args): pass",
            "server = HTTPServer(('127.0.0.1', 0), Unavailable)",
            "threading.Thread(target=server.serve_forever, daemon=True).start()",
            "silent = socket.socket(); silent.bind(('127.0.0.1', 0)); silent.listen(8)  # accepts, never answers",
            "closed = socket.socket(); closed.bind(('127.0.0.1', 0)); closed_port = closed.getsockname()[1]; closed.close()",
            "def outcome(p):",
            "    try:",
            "        return ['answered', p.get(user)]",
            "    except RegistryUnavailable as e:",
            "        return ['RegistryUnavailable', str(e)]",
            "out['503'] = outcome(Profiles(f'http://127.0.0.1:{server.server_address[1]}', key))",
            "out['timeout'] = outcome(Profiles(f'http://127.0.0.1:{silent.getsockname()[1]}', key, timeout=1))",
            "out['refused'] = outcome(Profiles(f'http://127.0.0.1:{closed_port}', key))",
            "print(json.dumps(out))",
            "");

    @TestHTTPResource("/")
    URL api;

    @Test
    void profilesAreReadAndWrittenWithIfMatchAndAnErrorIsNeverANewUser() throws Exception {
        TestSupport.sql("DELETE FROM user_profile_changes WHERE user_id = " + USER, "DELETE FROM user_profiles WHERE user_id = " + USER);
        Path kit = Files.createDirectories(Path.of("target", "bot-kit"));
        Matcher block = BLOCK.matcher(Files.readString(GUIDE));
        assertTrue(block.find(), "docs/BOT-INTEGRATION.md has the registry_profiles.py block");
        Files.writeString(kit.resolve("registry_profiles.py"), block.group(1));
        Files.writeString(kit.resolve("profiles_driver.py"), DRIVER);

        JsonNode out = new ObjectMapper().readTree(python(kit, "profiles_driver.py", api.toString().replaceAll("/$", ""),
                TestSupport.API_KEY, Long.toString(USER)));

        assertEquals("[null,null]", out.get("unknown").toString(), "a 404 is the only 'no profile yet'");
        assertEquals("[1,\"\\\"1\\\"\"]", out.get("created").toString());
        assertEquals("[3,\"\\\"3\\\"\",true,\"python\",\"Kit\"]", out.get("after_stale").toString(),
                "the stale write was re-read and applied on top of the other writer's change");
        for (String failure : List.of("503", "timeout", "refused")) {
            assertEquals("RegistryUnavailable", out.get(failure).get(0).asText(), failure + " must not look like a new user: " + out.get(failure));
        }
    }

    private static String python(Path dir, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "python3 failed: " + err);
        return out.strip();
    }
}
