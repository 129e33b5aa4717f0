package dev.tgregistry.users.user;

import dev.tgregistry.users.reachability.RecipientStatus;
import io.vertx.mutiny.sqlclient.Row;

/** A known user id of a validate request: the short user object and what a message to them would meet. */
record Recipient(UserSummary user, RecipientStatus status) {

    static Recipient of(Row row) {
        return new Recipient(UserSummary.of(row), RecipientStatus.of(row.getString("status")));
    }
}
