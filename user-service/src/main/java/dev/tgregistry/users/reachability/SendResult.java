package dev.tgregistry.users.reachability;

import java.time.Instant;

/** One send attempt to a user and what it showed, at the time of the attempt. */
public record SendResult(long userId, SendOutcome outcome, Instant at) {
}
