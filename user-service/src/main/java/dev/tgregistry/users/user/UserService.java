package dev.tgregistry.users.user;

import dev.tgregistry.users.web.ApiErrors;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UserService {

    @WithSession
    public Uni<UserView> find(long userId) {
        return User.<User>findById(userId)
                .onItem().ifNull().failWith(() -> ApiErrors.notFound("user " + userId + " not found"))
                .map(UserView::of);
    }
}
