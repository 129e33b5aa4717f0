package dev.tgregistry.users.user;

import io.vertx.core.buffer.Buffer;

import java.io.OutputStream;

/** An OutputStream onto a Vert.x {@link Buffer}, for a Jackson generator writing a response body. */
final class BufferOutput extends OutputStream {
    private final Buffer buffer;

    BufferOutput(Buffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void write(int b) {
        buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.appendBytes(bytes, offset, length);
    }
}
