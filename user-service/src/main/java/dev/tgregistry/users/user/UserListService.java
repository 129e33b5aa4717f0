package dev.tgregistry.users.user;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** The original dashboard's user list: a page of users (filters in {@link UserListQuery}) with their totals. */
@ApplicationScoped
public class UserListService {
    private final UserListRepository repository;

    public UserListService(UserListRepository repository) {
        this.repository = repository;
    }

    public Uni<UserList> list(UserListQuery query, int page, int limit) {
        long offset = (long) (page - 1) * limit;
        return Uni.combine().all().unis(repository.count(query), repository.page(query, limit, offset))
                .asTuple()
                .chain(counted -> {
                    List<UserListRepository.Person> people = counted.getItem2();
                    Long[] ids = people.stream().map(UserListRepository.Person::userId).toArray(Long[]::new);
                    Uni<Map<Long, UserTotals>> totals = ids.length == 0 ? Uni.createFrom().item(Map.of()) : repository.totals(ids);
                    return totals.map(byUser -> {
                        List<UserListItem> users = people.stream().map(person -> UserListItem.of(person.userId(),
                                person.username(), person.firstName(), person.lastName(), person.lastSeenAt(),
                                byUser.getOrDefault(person.userId(), UserTotals.NONE))).toList();
                        long total = counted.getItem1();
                        return new UserList(true, users, total, page, limit, (total + limit - 1) / limit);
                    });
                });
    }
}
