package dev.tgregistry.users.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.tgregistry.web.ApiException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The documented merge patch ({@link ProfileMergePatch}) names exactly the members {@link ProfilePatch#parse} accepts:
 * every member of the profile ({@link ProfileView}) that is not read-only, and no other.
 */
class ProfileMergePatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDocumentedMembersAreTheWritableOnes() throws Exception {
        List<String> writable = new ArrayList<>();
        for (String member : snakeCase(ProfileView.class)) {
            try {
                ProfilePatch.parse(JSON.readTree("{\"" + member + "\": null}"), null);
                writable.add(member);
            } catch (ApiException refused) {
                assertEquals(member + " is read-only", refused.getMessage());
            }
        }
        assertEquals(writable, snakeCase(ProfileMergePatch.class));
        assertThrows(ApiException.class, () -> ProfilePatch.parse(JSON.readTree("{\"favourite_colour\": null}"), null),
                "members of one's own go in attributes (additionalProperties: false)");
    }

    private static List<String> snakeCase(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .map(new PropertyNamingStrategies.SnakeCaseStrategy()::translate).toList();
    }
}
