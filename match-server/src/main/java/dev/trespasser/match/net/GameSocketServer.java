package dev.trespasser.match.net;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.match.protocol.ClientMessageDecoder;
import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.SSLParametersWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one WebSocket endpoint for players (binary frames only). The first frame must be
 * a JoinRequest with a valid join token for the hosted match; everything else, and every abuse
 * afterwards, closes that one connection with close code 4000 + ErrorReason after an ErrorNotice.
 * Joined connections feed the hosted {@link MatchRoom}.
 *
 * <p>A join token admits its player to this server only (its audience is this GameServer's name),
 * and over one live connection at a time: a second connection presenting a token whose first is
 * still open is refused with TOKEN_IN_USE, so a sniffed token cannot take a player's seat. Once
 * the first socket has closed (a dropped connection, a page reload) the token works again.
 *
 * <p>A valid join that arrives while no match is hosted waits for one until the join timeout:
 * the director hands out assignments as soon as the GameServer is Allocated, and this process
 * learns that through its SDK watch a moment later, so the first players routinely arrive first.
 * If the allocation brings their match they join; otherwise they get NO_MATCH as before.
 */
public final class GameSocketServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 7777;
    /** Outbound bytes queued to a client above which its pings go unanswered (a few pongs' worth). */
    private static final int PONG_BACKLOG_BYTES = 1024;

    private static final Logger log = LoggerFactory.getLogger(GameSocketServer.class);

    private final JoinTokenVerifier verifier;
    private final MatchServerMetrics metrics;
    private final EdgeLimits limits;
    private final Edge edge;
    private final HandshakeGuard handshakes;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Verified joins that came while no match was hosted, until the allocation or the join timeout. */
    private final Map<Connection, JoinClaims> awaitingAllocation = new ConcurrentHashMap<>();
    /** The connection holding each token id ({@code jti}), from its verified join until its socket closes. */
    private final Map<String, Connection> tokensInUse = new ConcurrentHashMap<>();

    /**
     * Sweeps run every {@link #BUSY_SWEEP_MILLIS} while something has a deadline (an upgrade, a
     * join, a close) and every {@link #IDLE_SWEEP_MILLIS} otherwise. A wake-up costs ~0.1 ms of CPU
     * on the measured VM (docs/benchmarks.md), and a match in play has nothing to time out: a fixed
     * 50 ms sweep was ~5 % of the process's CPU.
     */
    static final long BUSY_SWEEP_MILLIS = 50;

    static final long IDLE_SWEEP_MILLIS = 1_000;

    private final ScheduledExecutorService housekeeping;
    private final Object sweepSchedule = new Object();
    /** The next sweep and when it is due ({@link System#nanoTime}); guarded by {@link #sweepSchedule}. */
    private ScheduledFuture<?> nextSweep;

    private long nextSweepAt;
    private final AtomicLong sweeps = new AtomicLong();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile Hosting hosting;

    /** The match hosted now, and this server's GameServer name that its join tokens must name. */
    private record Hosting(MatchRoom room, String gameServer) {}

    /** A plaintext (ws://) endpoint: tests, benchmarks, and set-ups that terminate TLS elsewhere. */
    public GameSocketServer(int port, JoinTokenVerifier verifier, MatchServerMetrics metrics, EdgeLimits limits) {
        this(port, verifier, metrics, limits, Optional.empty());
    }

    /**
     * With {@code tls}, the endpoint speaks only wss://: every accepted connection is TLS from its
     * first byte (after the connection caps), and the same handshake guard, limits and close codes
     * apply inside it.
     */
    public GameSocketServer(
            int port,
            JoinTokenVerifier verifier,
            MatchServerMetrics metrics,
            EdgeLimits limits,
            Optional<ServerTls> tls) {
        this.verifier = verifier;
        this.metrics = metrics;
        this.limits = limits;
        this.edge = new Edge(
                new InetSocketAddress(port),
                List.of(new Draft_6455(Collections.emptyList(), limits.transportFrameBytes())));
        this.handshakes = new HandshakeGuard(
                limits,
                new HandshakeGuard.Refusals() {
                    @Override
                    public void handshakeTimedOut() {
                        metrics.connectionRefused("handshake_timeout");
                    }

                    @Override
                    public void handshakeTooLarge() {
                        metrics.connectionRefused("handshake_too_large");
                    }

                    @Override
                    public void connectionCapped(ConnectionCaps.Refusal refusal) {
                        metrics.connectionRefused(
                                switch (refusal) {
                                    case PER_ADDRESS -> "too_many_from_address";
                                    case TOTAL -> "too_many_connections";
                                });
                    }
                },
                System::nanoTime,
                tls.map(t -> new SSLParametersWebSocketServerFactory(
                                t.context(), new SelectorThreadExecutor(), t.parameters()))
                        .orElse(null));
        edge.setWebSocketFactory(handshakes);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ws-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds and starts accepting; returns once listening (or throws when binding failed). */
    public void start() throws Exception {
        edge.setReuseAddr(true);
        edge.setTcpNoDelay(true);
        edge.setDaemon(true);
        edge.setConnectionLostTimeout(20);
        edge.start();
        try {
            started.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("WebSocket server did not start", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("WebSocket server did not start within 10 s", e);
        }
        sweepWithin(BUSY_SWEEP_MILLIS);
    }

    public int port() {
        return edge.getPort();
    }

    /** Routes joins to this room from now on; {@code gameServer} is this server's name, as join tokens name it. */
    public void host(MatchRoom room, String gameServer) {
        if (gameServer == null || gameServer.isEmpty()) {
            throw new IllegalArgumentException("the GameServer's name is needed to check join tokens");
        }
        this.hosting = new Hosting(room, gameServer);
        housekeeping.execute(this::admitAwaitingJoins);
    }

    /** Refuses joins (NO_MATCH) until the next {@link #host}; the old room closes its own players. */
    public void unhost() {
        this.hosting = null;
    }

    /** Live WebSocket connections, joined or not (for tests and leak checks). */
    public int connectionCount() {
        return connections.size();
    }

    /** Verified joins waiting for their match to be allocated here (for tests and leak checks). */
    public int awaitingAllocationCount() {
        return awaitingAllocation.size();
    }

    /** TCP connections open under the connection caps, upgraded or not (for tests and leak checks). */
    public int openSocketCount() {
        return handshakes.openCount();
    }

    /** TCP connections accepted whose WebSocket upgrade has not completed (for tests and leak checks). */
    public int pendingHandshakeCount() {
        return handshakes.pendingCount();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        // Closes already decided (e.g. SERVER_SHUTTING_DOWN from the room) keep their code: the
        // library's stop below would otherwise close them with 1001 before their delay is up.
        for (Connection c : connections) {
            c.sendPendingClose();
        }
        try {
            edge.stop(1000, "server shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onFrame(Connection c, ByteBuffer frame) {
        metrics.bytesReceived(frame.remaining());
        switch (c.state()) {
            case CLOSING -> c.cutIfStillFlooding(System.nanoTime());
            case AWAITING_JOIN -> join(c, frame);
            case JOINED -> {
                ClientCommand command;
                try {
                    command = ClientMessageDecoder.decode(frame);
                    if (command instanceof ClientCommand.Join) {
                        throw new FrameRejectedException(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "already joined");
                    }
                } catch (FrameRejectedException e) {
                    c.close(e.reason(), e.getMessage());
                    return;
                }
                long now = System.nanoTime();
                if (!c.frames.tryTake(now)) {
                    if (!c.flood.tryTake(now)) {
                        c.close(ErrorReason.ERROR_REASON_RATE_LIMITED, "too many frames");
                        return;
                    }
                    // Above the rate, what the next frame supersedes is dropped; what a client sends
                    // once (a vote) is kept, and costs flood budget all the same.
                    if (command.supersededByNext()) {
                        metrics.inputDropped();
                        return;
                    }
                }
                c.room().receive(c.slot(), c, command);
            }
        }
    }

    private void join(Connection c, ByteBuffer frame) {
        try {
            if (awaitingAllocation.containsKey(c)) {
                throw new FrameRejectedException(
                        ErrorReason.ERROR_REASON_MALFORMED_FRAME,
                        "already joined; waiting for the match to be allocated here");
            }
            ClientCommand command = ClientMessageDecoder.decode(frame);
            if (!(command instanceof ClientCommand.Join join)) {
                throw new FrameRejectedException(
                        ErrorReason.ERROR_REASON_JOIN_REQUIRED, "the first frame must be a JoinRequest");
            }
            JoinClaims claims = verifier.verify(join.token());
            holdToken(c, claims.tokenId());
            Hosting hosted = hosting;
            if (hosted == null) {
                // Parked, then hosting read again: a host() in between cannot miss this join.
                awaitingAllocation.put(c, claims);
                hosted = hosting;
                if (hosted == null || awaitingAllocation.remove(c) == null) {
                    return;
                }
            }
            admit(c, claims, hosted);
        } catch (FrameRejectedException e) {
            c.close(e.reason(), e.getMessage());
        }
    }

    /**
     * Makes {@code c} the one live connection of this token id. A holder that is closing (the server
     * already decided to close it) gives way; one that is open keeps it.
     */
    private void holdToken(Connection c, String tokenId) throws FrameRejectedException {
        while (true) {
            Connection holder = tokensInUse.putIfAbsent(tokenId, c);
            if (holder == null || holder == c) {
                c.holdsToken(tokenId);
                return;
            }
            if (holder.state() != Connection.State.CLOSING) {
                throw new FrameRejectedException(
                        ErrorReason.ERROR_REASON_TOKEN_IN_USE,
                        "this join token is in use by an open connection; retry once it has closed");
            }
            if (tokensInUse.replace(tokenId, holder, c)) {
                c.holdsToken(tokenId);
                return;
            }
        }
    }

    private void admit(Connection c, JoinClaims claims, Hosting hosted) throws FrameRejectedException {
        if (!hosted.gameServer().equals(claims.gameServer())) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_WRONG_SERVER, "the token is for another server");
        }
        MatchRoom room = hosted.room();
        if (!room.matchId().equals(claims.matchId())) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_WRONG_MATCH, "the token is for another match");
        }
        int slot = room.admit(claims.playerId());
        c.joined(room, slot);
        handshakes.joined(c.socket);
        room.join(slot, c, claims.displayName());
    }

    /** On the housekeeping thread: parked joins meet the match hosted now, or time out with NO_MATCH. */
    private void admitAwaitingJoins() {
        if (awaitingAllocation.isEmpty()) {
            return;
        }
        Hosting hosted = hosting;
        long now = System.nanoTime();
        for (Map.Entry<Connection, JoinClaims> parked : awaitingAllocation.entrySet()) {
            Connection c = parked.getKey();
            boolean timedOut = now - c.openedAt > limits.joinTimeout().toNanos();
            if ((hosted == null && !timedOut) || !awaitingAllocation.remove(c, parked.getValue())) {
                continue;
            }
            try {
                if (hosted == null) {
                    throw new FrameRejectedException(
                            ErrorReason.ERROR_REASON_NO_MATCH, "no match is hosted here right now");
                }
                admit(c, parked.getValue(), hosted);
            } catch (FrameRejectedException e) {
                c.close(e.reason(), e.getMessage());
            }
        }
    }

    /** Something got a deadline: a sweep runs within {@code millis} (sooner if one is due sooner). */
    private void sweepWithin(long millis) {
        synchronized (sweepSchedule) {
            long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            if (nextSweep != null && nextSweepAt <= at) {
                return;
            }
            if (nextSweep != null) {
                nextSweep.cancel(false);
            }
            nextSweepAt = at;
            try {
                nextSweep = housekeeping.schedule(this::sweepAndReschedule, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                nextSweep = null;
            }
        }
    }

    private void sweepAndReschedule() {
        synchronized (sweepSchedule) {
            nextSweep = null;
        }
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("housekeeping sweep failed; the next one retries", e);
        } finally {
            sweepWithin(hasDeadlines() ? BUSY_SWEEP_MILLIS : IDLE_SWEEP_MILLIS);
        }
    }

    /** Whether an upgrade, a join or a close is waiting for a sweep to time it out. */
    private boolean hasDeadlines() {
        if (handshakes.pendingCount() > 0 || !awaitingAllocation.isEmpty()) {
            return true;
        }
        for (Connection c : connections) {
            if (c.state() != Connection.State.JOINED) {
                return true;
            }
        }
        return false;
    }

    /** Sweeps run so far (tests: an idle match must not wake the housekeeping thread 20 times a second). */
    long sweepCount() {
        return sweeps.get();
    }

    private void sweep() {
        sweeps.incrementAndGet();
        handshakes.sweep();
        admitAwaitingJoins();
        long now = System.nanoTime();
        for (Connection c : connections) {
            if (c.state() == Connection.State.AWAITING_JOIN
                    && !awaitingAllocation.containsKey(c)
                    && now - c.openedAt > limits.joinTimeout().toNanos()) {
                c.close(ErrorReason.ERROR_REASON_JOIN_TIMEOUT, "no valid JoinRequest in time");
            } else if (c.state() == Connection.State.CLOSING) {
                c.closeIfDue(now);
                if (c.closeOverdue(now) && !c.socket.isClosed()) {
                    c.socket.closeConnection(c.closeCode(), "close handshake timed out");
                }
            }
        }
    }

    /**
     * Java-WebSocket reads on its selector thread and hands every read to a decoder thread (a queue
     * and a futex wake-up per client frame, ~720 a second in a 4v4). Frames here are tiny and their
     * work is microseconds, so this edge decodes on the selector thread instead: no decoder thread
     * is started, and {@link #queue} decodes the bytes just read in place and hands the read buffer
     * back to the library's pool. The library offers no setting for this (it requires at least one
     * decoder and keeps its buffer pool private), hence the pool is reached once by reflection;
     * {@code SelectorThreadDecodingTest} fails if a library upgrade moves it.
     */
    private final class Edge extends WebSocketServer {

        /** The library's pool of read buffers ({@code WebSocketServer.buffers}). */
        private final BlockingQueue<ByteBuffer> readBuffers;

        Edge(InetSocketAddress address, List<org.java_websocket.drafts.Draft> drafts) {
            super(address, 1, drafts);
            // Never started: the library starts the workers in this list when it starts.
            decoders.clear();
            readBuffers = libraryBufferPool(this);
        }

        /** On the selector thread, right after the read: decodes, then returns the buffer to the pool. */
        @Override
        protected void queue(WebSocketImpl socket) throws InterruptedException {
            ByteBuffer read = socket.inQueue.poll();
            if (read == null) {
                return;
            }
            try {
                socket.decode(read);
            } catch (RuntimeException e) {
                // Defence in depth: what a decoder thread would have logged closes this client only.
                log.warn("unexpected failure decoding a read; closing that connection", e);
                socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "read could not be decoded");
            } finally {
                read.clear();
                readBuffers.put(read);
            }
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            limitSendBuffer(socket);
            Connection c =
                    new Connection(socket, limits, metrics, System.nanoTime(), () -> sweepWithin(BUSY_SWEEP_MILLIS));
            socket.setAttachment(c);
            connections.add(c);
            sweepWithin(BUSY_SWEEP_MILLIS);
        }

        /** Accepted, not upgraded yet: its handshake deadline needs the sweep. */
        @Override
        protected boolean onConnect(SelectionKey key) {
            sweepWithin(BUSY_SWEEP_MILLIS);
            return true;
        }

        /** See {@link EdgeLimits#socketSendBufferBytes()}: keeps a stalled player's backlog where the edge sees it. */
        private void limitSendBuffer(WebSocket socket) {
            if (socket instanceof WebSocketImpl impl
                    && impl.getSelectionKey() != null
                    && impl.getSelectionKey().channel() instanceof SocketChannel channel) {
                try {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, limits.socketSendBufferBytes());
                } catch (IOException e) {
                    log.debug(
                            "could not limit the send buffer of {}: {}", socket.getRemoteSocketAddress(), e.toString());
                }
            }
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            Connection c = socket.getAttachment();
            if (c == null) {
                return;
            }
            sweepWithin(BUSY_SWEEP_MILLIS);
            connections.remove(c);
            awaitingAllocation.remove(c);
            MatchRoom joinedRoom = c.room();
            if (joinedRoom != null) {
                joinedRoom.leave(c.slot(), c);
            }
            // After the leave: a reconnect with this token queues its join behind it.
            if (c.tokenId() != null) {
                tokensInUse.remove(c.tokenId(), c);
            }
        }

        @Override
        public void onMessage(WebSocket socket, String message) {
            Connection c = socket.getAttachment();
            if (c != null) {
                metrics.bytesReceived(message.length());
                c.close(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "text frames are not accepted");
            }
        }

        @Override
        public void onMessage(WebSocket socket, ByteBuffer message) {
            Connection c = socket.getAttachment();
            if (c == null) {
                return;
            }
            try {
                onFrame(c, message);
            } catch (RuntimeException e) {
                // Defence in depth: a bug triggered by one client closes that client only.
                log.warn("unexpected failure handling a frame; closing that connection", e);
                c.close(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "frame could not be handled");
            }
        }

        /**
         * Pings and pongs cost frame budget like data frames: a ping flood is closed like any flood.
         * A ping is answered only while little is queued to that client: a peer that pings without
         * reading its pongs would otherwise park them on this heap until its close.
         */
        @Override
        public void onWebsocketPing(WebSocket socket, Framedata frame) {
            if (withinBudget(socket, frame)
                    && ((Connection) socket.getAttachment()).queuedBytes() < PONG_BACKLOG_BYTES) {
                super.onWebsocketPing(socket, frame);
            }
        }

        @Override
        public void onWebsocketPong(WebSocket socket, Framedata frame) {
            withinBudget(socket, frame);
        }

        private boolean withinBudget(WebSocket socket, Framedata frame) {
            Connection c = socket.getAttachment();
            if (c == null) {
                // Not upgraded yet: the library answers control frames only on open sockets anyway.
                return false;
            }
            metrics.bytesReceived(frame.getPayloadData().remaining());
            return c.controlFrame(System.nanoTime());
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
            if (socket == null) {
                started.completeExceptionally(e);
                log.error("WebSocket server error", e);
            } else {
                log.debug("connection error from {}: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        }

        @Override
        public void onStart() {
            started.complete(null);
        }
    }

    @SuppressWarnings("unchecked")
    static BlockingQueue<ByteBuffer> libraryBufferPool(WebSocketServer server) {
        try {
            Field pool = WebSocketServer.class.getDeclaredField("buffers");
            pool.setAccessible(true);
            return (BlockingQueue<ByteBuffer>) pool.get(server);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("this Java-WebSocket version keeps its read buffers elsewhere", e);
        }
    }
}
