package dev.trespasser.match.net;

import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.WebSocketServerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Bounds what a TCP connection may cost before its WebSocket upgrade completes. Java-WebSocket has
 * no handshake timeout and buffers an unfinished upgrade request without limit, so a client that
 * connects and sends nothing, half a request, or a request a byte at a time would hold a socket
 * (and, for a huge request, memory) forever. Installed as the server's socket factory, this sees
 * every accepted connection from its first byte: {@link #sweep} closes those still not upgraded
 * after {@link EdgeLimits#handshakeTimeout()}, and reading more than {@link
 * EdgeLimits#handshakeBytes()} before the upgrade fails the read, which makes the library close
 * the socket.
 */
final class HandshakeGuard implements WebSocketServerFactory {

    /** What the guard did, for metrics. */
    interface Refusals {
        void handshakeTimedOut();

        void handshakeTooLarge();
    }

    private final EdgeLimits limits;
    private final Refusals refusals;
    private final LongSupplier clock;
    /** Accepted sockets not upgraded yet, with when they were accepted. */
    private final Map<WebSocketImpl, Long> pending = new ConcurrentHashMap<>();

    HandshakeGuard(EdgeLimits limits, Refusals refusals, LongSupplier clock) {
        this.limits = limits;
        this.refusals = refusals;
        this.clock = clock;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return track(new WebSocketImpl(adapter, draft));
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return track(new WebSocketImpl(adapter, drafts));
    }

    private WebSocketImpl track(WebSocketImpl socket) {
        pending.put(socket, clock.getAsLong());
        return socket;
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
        // The server registers the channel with its WebSocketImpl as the key's attachment.
        return new CountingChannel(channel, (WebSocketImpl) key.attachment());
    }

    /** Closes sockets whose upgrade is overdue; forgets the ones that upgraded or closed. */
    void sweep() {
        long now = clock.getAsLong();
        long timeout = limits.handshakeTimeout().toNanos();
        for (Iterator<Map.Entry<WebSocketImpl, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<WebSocketImpl, Long> entry = it.next();
            WebSocketImpl socket = entry.getKey();
            if (socket.getReadyState() != ReadyState.NOT_YET_CONNECTED) {
                it.remove();
            } else if (now - entry.getValue() > timeout) {
                it.remove();
                refusals.handshakeTimedOut();
                // No HTTP response: the peer never finished asking; a plain TCP close is the answer.
                socket.closeConnection(CloseFrame.NEVER_CONNECTED, "WebSocket handshake timed out");
            }
        }
    }

    /** Accepted sockets still waiting for their upgrade (for tests and leak checks). */
    int pendingCount() {
        return pending.size();
    }

    @Override
    public void close() {
        pending.clear();
    }

    /** Counts bytes read until the upgrade completes; afterwards a plain pass-through. */
    private final class CountingChannel implements ByteChannel {
        private final SocketChannel channel;
        private final WebSocketImpl socket;
        private int beforeUpgrade;

        CountingChannel(SocketChannel channel, WebSocketImpl socket) {
            this.channel = channel;
            this.socket = socket;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = channel.read(dst);
            if (n > 0 && socket.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                beforeUpgrade += n;
                if (beforeUpgrade > limits.handshakeBytes()) {
                    refusals.handshakeTooLarge();
                    throw new IOException("WebSocket upgrade request over " + limits.handshakeBytes() + " bytes");
                }
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
