package dev.tgregistry.users.profile;

import dev.tgregistry.users.person.UserView;

/** A look-up's answer: the user and their profile. */
public record UserWithProfile(UserView user, ProfileView profile) {
}
