package dev.tgregistry.users.audience;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.function.Function;

/**
 * Streams a whole audience as CSV: reads it page by page (keyset, {@code pageSize} rows per statement, each on
 * whatever pooled connection is free, no transaction held open) and writes each page as one chunk when it arrives.
 * The next page is read only after the previous chunk was handed to the connection (the response requests one
 * item at a time), so a slow client slows the reads down and memory holds about one page, whatever the total.
 * If a read fails mid-way the response ends without its last chunk, so the client sees a broken transfer, never a
 * silently short file.
 */
public final class CsvExport {
    private CsvExport() {
    }

    /**
     * @param header     the header row
     * @param readPage   reads the page after a cursor ({@code null} = the first page)
     * @param record     the fields of one item, in header order
     * @param fileName   suggested download name
     */
    public static <T> RestResponse<Multi<Buffer>> stream(List<String> header, Function<String, Uni<AudiencePage<T>>> readPage,
                                                         Function<T, List<?>> record, String fileName) {
        Multi<Buffer> pages = Multi.createBy().repeating()
                .uni(NextCursor::new, next -> readPage.apply(next.cursor).invoke(page -> next.cursor = page.nextCursor()))
                .whilst(page -> page.nextCursor() != null)
                .map(page -> chunk(page.items(), record));
        StringBuilder head = new StringBuilder();
        Csv.appendRecord(head, header);
        Multi<Buffer> body = Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(Buffer.buffer(head.toString())), pages);
        return RestResponse.ResponseBuilder.ok(body)
                .header("Content-Type", Csv.CONTENT_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    private static <T> Buffer chunk(List<T> items, Function<T, List<?>> record) {
        StringBuilder text = new StringBuilder(items.size() * 64);
        for (T item : items) {
            Csv.appendRecord(text, record.apply(item));
        }
        return Buffer.buffer(text.toString());
    }

    private static final class NextCursor {
        String cursor;
    }
}
