package dev.tgregistry.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 exchanges written byte for byte over a socket, for requests an HTTP client would normalise or refuse to
 * send: a path with {@code ..} or {@code ;}, raw (even invalid) percent-escapes such as {@code %ED%A0%80}, header
 * values with any byte, a 10 KB request line, a header block over a limit. One connection per request
 * ({@code Connection: close}).
 *
 * <pre>
 *   RawHttp.Response r = RawHttp.send(base, "DELETE", "/api/users/1;", Map.of("Authorization", "Bearer k"), null);
 *   r.status(); r.header("content-type"); r.body();
 * </pre>
 */
public final class RawHttp {
    private static final int READ_TIMEOUT_MS = 20_000;

    private RawHttp() {
    }

    /** A header as sent: the name and the exact bytes of its value. */
    public record Header(String name, byte[] value) {
        public static Header of(String name, String value) {
            return new Header(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request: method, raw request target (already escaped as it goes on the wire), headers, body (or null). */
    public record Request(String method, String target, List<Header> headers, byte[] body) {
        /** A request without body. */
        public Request(String method, String target, Map<String, String> headers) {
            this(method, target, headers.entrySet().stream().map(h -> Header.of(h.getKey(), h.getValue())).toList(), null);
        }

        public Request with(Header header) {
            List<Header> all = new ArrayList<>(headers);
            all.add(header);
            return new Request(method, target, all, body);
        }
    }

    /** The answer; header names in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Response send(URL base, Request request) {
        try {
            return send(base.getHost(), base.getPort(), request, READ_TIMEOUT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code method target HTTP/1.1} with Host, Connection: close, {@code headers} and {@code body} (or none). */
    public static Response send(URL base, String method, String target, Map<String, String> headers, String body) {
        Request request = new Request(method, target, headers);
        return send(base, body == null ? request : new Request(method, target, request.headers(), body.getBytes(StandardCharsets.UTF_8)));
    }

    public static Response send(String host, int port, Request request, int timeoutMillis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ascii(bytes, request.method() + " " + request.target() + " HTTP/1.1\r\n");
        ascii(bytes, "Host: " + host + ":" + port + "\r\n");
        ascii(bytes, "Connection: close\r\n");
        for (Header header : request.headers()) {
            ascii(bytes, header.name() + ": ");
            bytes.write(header.value());
            ascii(bytes, "\r\n");
        }
        if (request.body() != null) {
            ascii(bytes, "Content-Length: " + request.body().length + "\r\n");
        }
        ascii(bytes, "\r\n");
        if (request.body() != null) {
            bytes.write(request.body());
        }
        return exchange(host, port, bytes.toByteArray(), timeoutMillis);
    }

    /** Writes {@code request} as it is and reads the answer. */
    public static Response exchange(URL base, byte[] request) {
        try {
            return exchange(base.getHost(), base.getPort(), request, READ_TIMEOUT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response exchange(String host, int port, byte[] request, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer (413, 400) and close before reading all of it: read what it said
            }
            return parse(readAnswer(socket.getInputStream()));
        }
    }

    /**
     * Reads up to the answer's Content-Length, or until the server closes the connection (the server may wait for a
     * body it refused, so the answer's end is not the connection's).
     */
    private static byte[] readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try {
            for (int n; !complete(all.toByteArray()) && (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException timeout) {
            throw timeout;
        } catch (IOException resetAfterAnswer) {
            if (all.size() == 0) {
                throw resetAfterAnswer;
            }
        }
        return all.toByteArray();
    }

    /** Headers and a body of the declared Content-Length have arrived. */
    private static boolean complete(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return received.length - end - 4 >= Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return false;
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete HTTP response head in " + raw.length + " bytes: "
                    + text.substring(0, Math.min(text.length(), 200)));
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        } else if (headers.containsKey("content-length")) {
            body = Arrays.copyOf(body, Math.min(body.length, Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOfCrLf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
