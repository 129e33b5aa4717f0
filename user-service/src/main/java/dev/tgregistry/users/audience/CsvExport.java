package dev.tgregistry.users.audience;

import dev.tgregistry.web.ApiException;
import dev.tgregistry.web.ApiProblem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import org.jboss.resteasy.reactive.RestMulti;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Streams a whole audience as CSV: reads it page by page (keyset, one statement per page, each on whatever pooled
 * connection is free, no transaction held open) and writes each page as one chunk when it arrives. The next page
 * is read only after the previous chunk was handed to the connection (the response requests one item at a time),
 * so a slow client slows the reads down and memory holds about one page, whatever the total. If a read fails
 * mid-way the response ends without its last chunk, so the client sees a broken transfer, never a silently short
 * file. A refused request (bad parameter) is answered before any CSV: a 400 problem+json.
 */
public final class CsvExport {
    private CsvExport() {
    }

    /**
     * @param query    checks the parameters and yields what the reads need (fails with an {@link ApiException} to refuse)
     * @param header   the header row
     * @param readPage reads the page after a cursor ({@code null} = the first page)
     * @param record   the fields of one item, in header order
     * @param fileName suggested download name
     */
    public static <Q, T> RestMulti<Buffer> stream(Uni<Q> query, List<String> header,
                                                  BiFunction<Q, String, Uni<AudiencePage<T>>> readPage,
                                                  Function<T, List<?>> record, String fileName) {
        Uni<Start> start = query.map(q -> new Start(200, Map.of("Content-Type", List.of(Csv.CONTENT_TYPE),
                        "Content-Disposition", List.of("attachment; filename=\"" + fileName + "\"")),
                        body(header, cursor -> readPage.apply(q, cursor), record)))
                .onFailure(ApiException.class).recoverWithItem(refused -> problem((ApiException) refused));
        return RestMulti.fromUniResponse(start, Start::body, Start::headers, Start::status);
    }

    private static <T> Multi<Buffer> body(List<String> header, Function<String, Uni<AudiencePage<T>>> readPage,
                                          Function<T, List<?>> record) {
        Multi<Buffer> pages = Multi.createBy().repeating()
                .uni(NextCursor::new, next -> readPage.apply(next.cursor).invoke(page -> next.cursor = page.nextCursor()))
                .whilst(page -> page.nextCursor() != null)
                .map(page -> chunk(page.items(), record));
        StringBuilder head = new StringBuilder();
        Csv.appendRecord(head, header);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(Buffer.buffer(head.toString())), pages);
    }

    private static Start problem(ApiException refused) {
        return new Start(refused.status(), Map.of("Content-Type", List.of(ApiProblem.MEDIA_TYPE)),
                Multi.createFrom().item(Buffer.buffer(Json.encode(refused.problem()))));
    }

    private static <T> Buffer chunk(List<T> items, Function<T, List<?>> record) {
        StringBuilder text = new StringBuilder(items.size() * 64);
        for (T item : items) {
            Csv.appendRecord(text, record.apply(item));
        }
        return Buffer.buffer(text.toString());
    }

    private record Start(int status, Map<String, List<String>> headers, Multi<Buffer> body) {
    }

    private static final class NextCursor {
        String cursor;
    }
}
