package dev.trespasser.match.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.java_websocket.SSLSocketChannel2;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;

/**
 * Bounds what a TCP connection may cost before its WebSocket upgrade completes. Java-WebSocket has
 * no handshake timeout and buffers an unfinished upgrade request without limit, so a client that
 * connects and sends nothing, half a request, or a request a byte at a time would hold a socket
 * (and, for a huge request, memory) forever. Installed as the server's socket factory, this sees
 * every accepted connection from its first byte: {@link #sweep} closes those still not upgraded
 * after {@link EdgeLimits#handshakeTimeout()}, and reading more than {@link
 * EdgeLimits#handshakeBytes()} before the upgrade fails the read, which makes the library close
 * the socket.
 *
 * <p>It also enforces {@link ConnectionCaps} at accept, before the library reads a byte: a
 * connection over a cap is reset (SO_LINGER 0, so it leaves no TIME_WAIT behind) and costs no
 * more than its accept.
 *
 * <p>With TLS ({@code tls} given), the accepted channel is wrapped by the library's TLS channel
 * after the caps admitted it; the byte count then applies to the decrypted upgrade request, and
 * the handshake timeout covers the TLS handshake too (a client hello cut short is closed by it).
 */
final class HandshakeGuard implements WebSocketServerFactory {

    /** What the guard did, for metrics. */
    interface Refusals {
        void handshakeTimedOut();

        void handshakeTooLarge();

        void connectionCapped(ConnectionCaps.Refusal refusal);
    }

    private final EdgeLimits limits;
    private final Refusals refusals;
    private final LongSupplier clock;
    /** Accepted sockets not upgraded yet, with when they were accepted. */
    private final Map<WebSocketImpl, Long> pending = new ConcurrentHashMap<>();

    private final ConnectionCaps caps;
    /** Accepted sockets under the caps, so the sweep can release one whose close bypassed its channel. */
    private final Set<CountingChannel> open = ConcurrentHashMap.newKeySet();

    /** The library's TLS channel factory ({@code null}: plaintext). */
    private final WebSocketServerFactory tls;

    HandshakeGuard(EdgeLimits limits, Refusals refusals, LongSupplier clock) {
        this(limits, refusals, clock, null);
    }

    HandshakeGuard(EdgeLimits limits, Refusals refusals, LongSupplier clock, WebSocketServerFactory tls) {
        this.tls = tls;
        this.limits = limits;
        this.refusals = refusals;
        this.clock = clock;
        this.caps = new ConnectionCaps(limits.connectionsPerAddress(), limits.connectionsTotal());
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
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        // The server registers the channel with its WebSocketImpl as the key's attachment.
        WebSocketImpl socket = (WebSocketImpl) key.attachment();
        SocketAddress remote = channel.getRemoteAddress();
        ConnectionCaps.Seat seat;
        try {
            seat = caps.open(((InetSocketAddress) remote).getAddress());
        } catch (ConnectionCaps.RefusedException e) {
            pending.remove(socket);
            refusals.connectionCapped(e.refusal());
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
            // The library cancels the key and forgets the socket; no buffer was allocated for it.
            throw new IOException("connection refused: " + e.getMessage());
        }
        CountingChannel counting;
        if (tls == null) {
            counting = new CountingChannel(channel, channel, socket, seat);
        } else {
            ByteChannel transport;
            try {
                transport = tls.wrapChannel(channel, key);
            } catch (IOException | RuntimeException e) {
                seat.release();
                channel.close();
                throw e;
            }
            counting = new CountingTlsChannel(channel, (SSLSocketChannel2) transport, socket, seat);
        }
        open.add(counting);
        return counting;
    }

    /** The socket's player joined: it stops counting against its address's cap. */
    void joined(WebSocket socket) {
        if (socket instanceof WebSocketImpl impl && impl.getChannel() instanceof CountingChannel counting) {
            counting.seat.joined();
        }
    }

    /** Connections open under the caps (for tests and leak checks). */
    int openCount() {
        return caps.openCount();
    }

    /** Closes sockets whose upgrade is overdue; forgets the ones that upgraded or closed. */
    void sweep() {
        for (CountingChannel counting : open) {
            if (!counting.channel.isOpen()) {
                counting.release();
            }
        }
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

    /**
     * Counts bytes read until the upgrade completes, and holds the socket's seat under the caps.
     * {@code channel} is the accepted socket, {@code transport} what reads and writes go through
     * (the socket itself, or the TLS channel over it).
     */
    private class CountingChannel implements ByteChannel {
        final SocketChannel channel;
        private final ByteChannel transport;
        private final WebSocketImpl socket;
        private final ConnectionCaps.Seat seat;
        private int beforeUpgrade;

        CountingChannel(SocketChannel channel, ByteChannel transport, WebSocketImpl socket, ConnectionCaps.Seat seat) {
            this.channel = channel;
            this.transport = transport;
            this.socket = socket;
            this.seat = seat;
        }

        void release() {
            seat.release();
            open.remove(this);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return counted(transport.read(dst));
        }

        int counted(int n) throws IOException {
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
            return transport.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            release();
            try {
                // The TLS channel sends its close_notify, then closes the socket.
                transport.close();
            } finally {
                channel.close();
            }
        }
    }

    /**
     * The same over TLS: the library asks the outermost channel whether the TLS layer still has
     * bytes to write or decrypted bytes to hand over ({@link WrappedByteChannel}), so this passes
     * those questions through.
     */
    private final class CountingTlsChannel extends CountingChannel implements WrappedByteChannel {
        private final SSLSocketChannel2 tlsChannel;

        CountingTlsChannel(
                SocketChannel channel, SSLSocketChannel2 tlsChannel, WebSocketImpl socket, ConnectionCaps.Seat seat) {
            super(channel, tlsChannel, socket, seat);
            this.tlsChannel = tlsChannel;
        }

        /**
         * The library's TLS channel answers a peer's close_notify by closing the socket itself and
         * then reads 0 for ever, so the server would never learn the player left (no onClose, the
         * seat and the token held until the connection-lost timeout). End of stream it is.
         */
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return endOfStreamOnceClosed(super.read(dst));
        }

        private int endOfStreamOnceClosed(int n) {
            return n == 0 && (tlsChannel.isInboundDone() || !channel.isOpen()) ? -1 : n;
        }

        @Override
        public boolean isNeedWrite() {
            return tlsChannel.isNeedWrite();
        }

        @Override
        public void writeMore() throws IOException {
            tlsChannel.writeMore();
        }

        @Override
        public boolean isNeedRead() {
            return tlsChannel.isNeedRead();
        }

        @Override
        public int readMore(ByteBuffer dst) throws IOException {
            return endOfStreamOnceClosed(counted(tlsChannel.readMore(dst)));
        }

        @Override
        public boolean isBlocking() {
            return tlsChannel.isBlocking();
        }
    }
}
