package dev.tgregistry.users.profile;

import dev.tgregistry.web.PreconditionFailed;
import dev.tgregistry.web.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgregistry.users.db.SqlErrors;
import dev.tgregistry.users.person.UserView;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.web.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.function.Predicate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads and changes profiles; a change is one transaction (profile row locked, change log written with it). Changes
 * run on the Pool ({@link ProfileRepository}), a request's few statements without an ORM session; reads use the
 * entities.
 */
@ApplicationScoped
public class ProfileService {
    static final String NICKNAME_INDEX = "user_profiles_nickname_uq";
    static final String PRIMARY_KEY = "user_profiles_pkey";
    static final String USER_REFERENCE = "user_profiles_user_id_fkey";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Pool pool;
    private final ProfileRepository repository;
    private final ProfileUsers users;
    private final PhoneNumbers phones;
    private final ObjectMapper json;

    public ProfileService(Pool pool, ProfileRepository repository, ProfileUsers users, PhoneNumbers phones, ObjectMapper json) {
        this.pool = pool;
        this.repository = repository;
        this.users = users;
        this.phones = phones;
        this.json = json;
    }

    @WithSession
    public Uni<ProfileView> get(long userId) {
        return UserProfile.<UserProfile>findById(userId)
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("user " + userId + " has no profile"))
                .map(ProfileView::of);
    }

    /**
     * Applies a merge patch. {@code expected}: the versions the caller's If-Match allows ({@code null}: any, also
     * none yet; an empty list stands for {@code *}: any existing profile).
     */
    public Uni<ProfileView> patch(long userId, JsonNode body, List<Long> expected, String caller) {
        ProfilePatch patch = ProfilePatch.parse(body, phones);
        return write(userId, patch, existing -> {
            checkPrecondition(userId, existing, expected);
            return true;
        }, caller, Instant.now().truncatedTo(ChronoUnit.MICROS))
                .map(ProfileView::of)
                .onFailure(failure -> SqlErrors.violates(failure, UNIQUE_VIOLATION, NICKNAME_INDEX))
                .transform(taken -> new Conflict("nickname is already taken by another user"));
    }

    /** A bot's own write of its profile columns into an adopted table: the row's values and when it wrote them. */
    public record LegacyWrite(long userId, ObjectNode values, Instant writtenAt) {
    }

    /**
     * A bot's own write of its profile columns (an adopted table's row), dated when the bot wrote it and applied
     * unless the profile changed after that (a newer API write wins). A value the API would refuse, or a nickname
     * another user holds, is kept in attributes as {@code legacy_<field>} instead of being lost.
     */
    public Uni<Void> applyLegacy(LegacyWrite write, String caller) {
        ObjectNode accepted = json.createObjectNode();
        ObjectNode kept = json.createObjectNode();
        split(write.values(), accepted, kept);
        return applyLegacy(write, accepted, kept, caller)
                .onFailure(failure -> SqlErrors.violates(failure, UNIQUE_VIOLATION, NICKNAME_INDEX) && accepted.hasNonNull("nickname"))
                .recoverWithUni(taken -> {
                    kept.put("legacy_nickname", accepted.remove("nickname").asText());
                    return applyLegacy(write, accepted, kept, caller);
                });
    }

    /**
     * Many such writes in one transaction (the copy of an adopted table), their users already written: all or
     * nothing, so a nickname two of them claim fails the list and the caller applies each alone.
     */
    public Uni<Void> applyLegacy(List<LegacyWrite> writes, String caller) {
        List<Long> ids = writes.stream().map(LegacyWrite::userId).distinct().toList();
        return pool.withTransaction(connection -> repository.locked(connection, ids).chain(found -> {
            Map<Long, UserProfile> byId = found.stream().collect(Collectors.toMap(p -> p.userId, Function.identity()));
            // each write is stored as it stands after it (its statement takes its values now), in the list's order
            List<Uni<Void>> saves = new ArrayList<>();
            for (LegacyWrite write : writes) {
                ObjectNode accepted = json.createObjectNode();
                ObjectNode kept = json.createObjectNode();
                split(write.values(), accepted, kept);
                UserProfile existing = byId.get(write.userId());
                if (existing != null && existing.updatedAt.isAfter(write.writtenAt())) {
                    continue;
                }
                UserProfile profile = existing != null ? existing : UserProfile.blank(write.userId(), write.writtenAt());
                List<ProfileChange> changes = change(profile, legacyPatch(accepted, kept), caller, write.writtenAt());
                if (existing == null) {
                    byId.put(profile.userId, profile);
                }
                if (existing == null || !changes.isEmpty()) {
                    saves.add(repository.save(connection, profile, existing == null, changes, caller));
                }
            }
            Uni<Void> all = Uni.createFrom().voidItem();
            for (Uni<Void> save : saves) {
                all = all.chain(() -> save);
            }
            return all;
        }));
    }

    /** Each field the API takes goes to {@code accepted}; any other is kept as text in {@code kept} as legacy_<field>. */
    private void split(ObjectNode values, ObjectNode accepted, ObjectNode kept) {
        values.fields().forEachRemaining(field -> {
            try {
                ProfilePatch.parse(json.createObjectNode().set(field.getKey(), field.getValue()), phones);
                accepted.set(field.getKey(), field.getValue());
            } catch (ApiException refused) {
                kept.put("legacy_" + field.getKey(), field.getValue().asText());
            }
        });
    }

    private ProfilePatch legacyPatch(ObjectNode accepted, ObjectNode kept) {
        ObjectNode body = accepted.deepCopy();
        if (!kept.isEmpty()) {
            body.set("attributes", kept);
        }
        return ProfilePatch.parse(body, phones);
    }

    private Uni<Void> applyLegacy(LegacyWrite write, ObjectNode accepted, ObjectNode kept, String caller) {
        return write(write.userId(), legacyPatch(accepted, kept),
                existing -> existing == null || !existing.updatedAt.isAfter(write.writtenAt()), caller, write.writtenAt())
                .replaceWithVoid();
    }

    /**
     * One change of a profile at {@code at}, on the Pool: row locked, {@code shouldApply} asked with the stored row
     * (null: none yet), then the row and its change log in one statement. The users row a first profile references
     * is written only when the profile's insert finds it missing, then the change runs again.
     */
    private Uni<UserProfile> write(long userId, ProfilePatch patch, Predicate<UserProfile> shouldApply, String caller, Instant at) {
        Uni<UserProfile> attempt = pool.withTransaction(connection -> repository.locked(connection, userId)
                .chain(existing -> {
                    if (!shouldApply.test(existing)) {
                        return Uni.createFrom().item(existing);
                    }
                    UserProfile profile = existing != null ? existing : UserProfile.blank(userId, at);
                    List<ProfileChange> changes = change(profile, patch, caller, at);
                    if (existing != null && changes.isEmpty()) {
                        return Uni.createFrom().item(profile);
                    }
                    // an empty patch creates an empty profile: nothing for the change log
                    return repository.save(connection, profile, existing == null, changes, caller).replaceWith(profile);
                }));
        return attempt
                .onFailure(failure -> SqlErrors.violates(failure, FOREIGN_KEY_VIOLATION, USER_REFERENCE))
                .recoverWithUni(() -> users.ensure(userId).chain(() -> attempt))
                // two first writes of one profile at once: the loser finds the winner's row on its second try
                .onFailure(failure -> SqlErrors.violates(failure, UNIQUE_VIOLATION, PRIMARY_KEY)).retry().atMost(2);
    }

    /**
     * Applies {@code patch} to {@code profile}; when a field changed (or the profile is new, version 0), the next
     * version at {@code at}, and the changes stamped with it. Returns the changes (empty: nothing changed).
     */
    private List<ProfileChange> change(UserProfile profile, ProfilePatch patch, String caller, Instant at) {
        List<ProfileChange> changes = patch.applyTo(profile, json);
        if (changes.isEmpty() && profile.version > 0) {
            return changes;
        }
        profile.version++;
        profile.updatedAt = at;
        for (ProfileChange change : changes) {
            change.version = profile.version;
            change.changedAt = at;
            change.changedBy = caller;
        }
        return changes;
    }

    private static void checkPrecondition(long userId, UserProfile existing, List<Long> expected) {
        if (expected == null) {
            return;
        }
        if (existing == null) {
            throw new PreconditionFailed("If-Match: user " + userId + " has no profile yet");
        }
        if (!expected.isEmpty() && !expected.contains(existing.version)) {
            throw new PreconditionFailed("If-Match: the profile is at version " + existing.version
                    + " (ETag \"" + existing.version + "\"); read it again and re-apply the change");
        }
    }

    @WithSession
    public Uni<List<ProfileChangeView>> history(long userId, int limit) {
        return ProfileChange.<ProfileChange>find("userId", Sort.descending("id"), userId).page(0, limit).list()
                .map(changes -> changes.stream().map(ProfileChangeView::of).toList());
    }

    /** Nicknames compare folded (registry.fold_text, migration V14), as their unique index does; it serves this. */
    @WithSession
    public Uni<UserWithProfile> byNickname(String nickname) {
        return UserProfile.<UserProfile>find("nickname is not null and function('fold_text', nickname) = function('fold_text', ?1)",
                        nickname).firstResult()
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("no user has that nickname"))
                .chain(profile -> withUsers(List.of(profile)))
                .map(found -> found.get(0));
    }

    @WithSession
    public Uni<List<UserWithProfile>> byPhone(String phone) {
        return UserProfile.<UserProfile>list("phone is not null and phone = ?1", Sort.by("userId"), phones.normalise(phone))
                .chain(this::withUsers);
    }

    private Uni<List<UserWithProfile>> withUsers(List<UserProfile> profiles) {
        if (profiles.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = profiles.stream().map(profile -> profile.userId).toList();
        return users.byIds(ids).map(found -> {
            Map<Long, UserView> byId = found.stream().collect(Collectors.toMap(UserView::userId, Function.identity()));
            return profiles.stream()
                    .map(profile -> new UserWithProfile(byId.get(profile.userId), ProfileView.of(profile)))
                    .toList();
        });
    }
}
