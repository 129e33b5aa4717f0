package dev.tgregistry.users.user;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;

/** The API's user object. {@code user_id} is a JSON string: JavaScript numbers cannot hold every 64-bit id. */
public record UserView(
        @JsonSerialize(using = ToStringSerializer.class) long userId,
        String username,
        String firstName,
        String lastName,
        String languageCode,
        String displayName,
        boolean isActive,
        Boolean isPremium,
        Instant firstSeenAt,
        Instant lastSeenAt) {

    public static UserView of(User user) {
        return new UserView(user.userId, user.username, user.firstName, user.lastName, user.languageCode,
                DisplayName.of(user.userId, user.username, user.firstName, user.lastName),
                user.active, user.premium, user.firstSeenAt, user.lastSeenAt);
    }
}
