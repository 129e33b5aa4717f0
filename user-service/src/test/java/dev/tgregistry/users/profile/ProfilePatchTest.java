package dev.tgregistry.users.profile;

import dev.tgregistry.users.web.IfMatch;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The merge patch and its change list, without a database. */
class ProfilePatchTest {
    private final ObjectMapper json = new ObjectMapper();
    private final PhoneNumbers phones = new PhoneNumbers(Optional.of("IR"));

    @Test
    void attributeRemovedAndAddedAreTwoChanges() throws Exception {
        UserProfile profile = UserProfile.blank(1, Instant.EPOCH);
        profile.attributes = "{\"a\": 1, \"keep\": {\"x\": 1, \"y\": 2}}";
        List<ProfileChange> changes = ProfilePatch.parse(json.readTree(
                "{\"attributes\": {\"a\": null, \"b\": {\"c\": true}, \"keep\": {\"y\": null}}}"), phones).applyTo(profile, json);
        assertEquals(List.of("attributes.a", "attributes.b", "attributes.keep"), changes.stream().map(c -> c.field).toList());
        assertEquals("1", changes.get(0).oldValue);
        assertEquals(null, changes.get(0).newValue);
        assertEquals("{\"x\":1}", changes.get(2).newValue);
        assertEquals(json.readTree("{\"b\":{\"c\":true},\"keep\":{\"x\":1}}"), json.readTree(profile.attributes));
    }

    @Test
    void nationalPhoneUsesTheConfiguredRegion() {
        assertEquals("+989121234567", phones.normalise(" 0912 123 4567 "));
        assertEquals("+79161234567", phones.normalise("+7 916 123-45-67"));
        assertEquals("call me", phones.normalise("call me"));
        assertEquals("0912 123 4567", new PhoneNumbers(Optional.empty()).normalise("0912 123 4567"));
    }

    @Test
    void ifMatchHeaderGivesTheAllowedVersions() {
        assertEquals(null, IfMatch.versions(null));
        assertEquals(List.of(), IfMatch.versions("*"));
        assertEquals(List.of(3L, -1L), IfMatch.versions("\"3\", W/\"4\""), "a weak tag never matches (strong comparison)");
        assertEquals(List.of(-1L), IfMatch.versions("\"abc\""));
    }
}
