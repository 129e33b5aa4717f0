package dev.tgregistry.users.booking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The documented body ({@link BookingEditRequest}) names exactly the members {@link BookingUpdates#parse} reads. */
class BookingEditRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDocumentedUpdatesAreTheParsedOnes() throws Exception {
        List<String> documented = Arrays.stream(BookingEditRequest.Updates.class.getRecordComponents())
                .map(RecordComponent::getName).map(new PropertyNamingStrategies.SnakeCaseStrategy()::translate).toList();
        BookingUpdates parsed = BookingUpdates.parse(JSON.readTree("{\"bookingId\": \"7\", \"updates\": {\"course_stream\": \"\","
                + " \"confirmed\": 2, \"referral_code\": null, \"discount_percent\": \"10\"}}"));
        assertEquals(documented, List.copyOf(parsed.values().keySet()));
        assertEquals(7L, parsed.bookingId(), "bookingId, as documented, is read under its camelCase name");
        assertThrows(RuntimeException.class, () -> BookingUpdates.parse(JSON.readTree("{\"updates\": {\"other\": 1}}")),
                "a member not documented is not an update");
        assertEquals(List.of("bookingId", "updates"),
                Arrays.stream(BookingEditRequest.class.getRecordComponents()).map(RecordComponent::getName).toList());
    }
}
