package dev.tgregistry.users.segment;

import dev.tgregistry.web.PreconditionFailed;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tgregistry.users.segment.SavedSegmentRepository.StoredSegment;
import dev.tgregistry.users.web.ApiErrors;
import dev.tgregistry.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Saved segments: create, edit (a new version each time, every version kept), read, delete. */
@ApplicationScoped
public class SegmentService {
    private final SavedSegmentRepository segments;
    private final SegmentJson json;

    public SegmentService(SavedSegmentRepository segments, SegmentJson json) {
        this.segments = segments;
        this.json = json;
    }

    public Uni<SegmentView> create(JsonNode body, String keyId) {
        Checked checked = check(body);
        Instant now = Instant.now();
        return segments.inTransaction(tx -> segments.insert(tx, checked.name, checked.filterJson, now, keyId)
                        .chain(created -> segments.addVersion(tx, created)))
                .map(this::view);
    }

    /** Replaces name and filter; {@code versions} from If-Match (null: any version, as without the header). */
    public Uni<SegmentView> replace(long id, JsonNode body, List<Long> versions, String keyId) {
        Checked checked = check(body);
        Instant now = Instant.now();
        return segments.inTransaction(tx -> segments.lock(tx, id).chain(current -> {
                    if (current == null) {
                        throw notFound(id);
                    }
                    if (versions != null && !versions.isEmpty() && !versions.contains((long) current.version())) {
                        throw new PreconditionFailed("If-Match: segment " + id + " is at version " + current.version());
                    }
                    return segments.update(tx, id, checked.name, checked.filterJson, now, keyId)
                            .chain(updated -> segments.addVersion(tx, updated));
                }))
                .map(this::view);
    }

    public Uni<SegmentView> get(long id) {
        return segments.find(id).map(found -> {
            if (found == null) {
                throw notFound(id);
            }
            return view(found);
        });
    }

    public Uni<List<SegmentView>> all() {
        return segments.all().map(rows -> rows.stream().map(this::view).toList());
    }

    public Uni<List<SegmentVersionView>> versions(long id) {
        return segments.versions(id).map(rows -> {
            if (rows.isEmpty()) {
                throw notFound(id);
            }
            return rows.stream().map(v -> new SegmentVersionView(v.version(), v.name(), json.read(v.filterJson()),
                    v.changedAt(), v.changedBy())).toList();
        });
    }

    public Uni<Void> delete(long id) {
        return segments.delete(id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** The segment's filter as it is now (a 404 when there is no such segment). */
    public Uni<SegmentFilter> filterOf(long id) {
        return get(id).map(SegmentView::filter);
    }

    private Checked check(JsonNode body) {
        SegmentRequest request = json.request(body);
        String name = SegmentRules.text("name", request.name(), SegmentRequest.MAX_NAME);
        if (name == null) {
            throw ApiErrors.badRequest("name is required (1 to " + SegmentRequest.MAX_NAME + " characters)");
        }
        if (request.filter() == null) {
            throw ApiErrors.badRequest("filter is required (an empty object selects everyone)");
        }
        try {
            return new Checked(name, json.write(SegmentRules.check(request.filter())));
        } catch (ApiException refused) {
            throw ApiErrors.badRequest("filter." + refused.getMessage());
        }
    }

    private SegmentView view(StoredSegment row) {
        return new SegmentView(row.id(), row.name(), json.read(row.filterJson()), row.version(), row.createdAt(),
                row.createdBy(), row.updatedAt(), row.updatedBy());
    }

    private static ApiException notFound(long id) {
        return ApiErrors.notFound("segment " + id + " not found");
    }

    private record Checked(String name, String filterJson) {
    }
}
