package dev.tgregistry.users.segment;

/** How many users a filter or a saved segment selects. */
public record UserCount(long count) {
}
