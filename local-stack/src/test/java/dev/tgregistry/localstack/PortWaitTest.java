package dev.tgregistry.localstack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A fixed port held by another process's client connection is waited for; one somebody listens on is refused. */
class PortWaitTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aPortHeldByAClientConnectionIsWaitedForUntilItCloses() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, LOOPBACK)) {
            int port = Util.freePort();
            Socket client = new Socket();
            client.bind(new InetSocketAddress(LOOPBACK, port));
            client.connect(peer.getLocalSocketAddress());
            Socket accepted = peer.accept();
            assertFalse(Util.portIsFree(port), "the client connection holds the port");
            assertFalse(Util.someoneListens(port));

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> Util.requirePortFree(port, "test"));
            Thread.sleep(1_000);
            assertFalse(waiting.isDone(), "still waiting while the connection holds the port");
            // the accepting side closes first, so the client's end does not linger in TIME_WAIT
            accepted.close();
            client.close();
            waiting.get(30, TimeUnit.SECONDS);
            assertTrue(Util.portIsFree(port));
        }
    }

    @Test
    void aPortSomebodyListensOnIsRefusedAtOnce() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, LOOPBACK)) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Util.requirePortFree(listener.getLocalPort(), "PostgreSQL"));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < Util.PORT_RELEASE_WAIT_MS / 2,
                    "a listener is not waited for");
        }
    }
}
