package dev.trespasser.match.net;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.match.protocol.ClientMessageDecoder;
import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one WebSocket endpoint for players (binary frames only). The first frame must be
 * a JoinRequest with a valid join token for the hosted match; everything else, and every abuse
 * afterwards, closes that one connection with close code 4000 + ErrorReason after an ErrorNotice.
 * Joined connections feed the hosted {@link MatchRoom}.
 *
 * <p><b>Threads.</b> One edge thread owns a selector for what happens rarely: accepts, the TLS
 * handshake and HTTP upgrade, joins, closes, and the deadlines of each (it sleeps in the selector
 * until the nearest one, with no periodic sweep). A joined player's socket is not watched by it:
 * the room's tick thread reads it without blocking at the start of every tick and writes the
 * tick's frames at its end ({@link Connection#poll}, {@link Connection#flush}). A thread wake-up
 * costs ~0.1 ms of CPU on the measured VM while a tick's reads cost microseconds, so a match in
 * play wakes the process only for its ticks, not for each of its players' frames
 * (docs/benchmarks.md, "Wake-ups"). An input is applied at the same tick as when a selector
 * handed it over: the simulation reads inputs only at ticks.
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
 *
 * <p>Before the upgrade, {@link ConnectionCaps} apply at accept (a connection over a cap is reset
 * and costs no more than its accept), the upgrade must complete within {@link
 * EdgeLimits#handshakeTimeout()} (with TLS, the handshake included) and its request may not exceed
 * {@link EdgeLimits#handshakeBytes()}.
 */
public final class GameSocketServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 7777;

    private static final Logger log = LoggerFactory.getLogger(GameSocketServer.class);

    private final int requestedPort;
    private final JoinTokenVerifier verifier;
    private final MatchServerMetrics metrics;
    private final EdgeLimits limits;
    private final Optional<ServerTls> tls;
    private final ConnectionCaps caps;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Verified joins that came while no match was hosted, until the allocation or the join timeout. */
    private final Map<Connection, JoinClaims> awaitingAllocation = new ConcurrentHashMap<>();
    /** The connection holding each token id ({@code jti}), from its verified join until its socket closes. */
    private final Map<String, Connection> tokensInUse = new ConcurrentHashMap<>();
    /**
     * Each room's players' sockets, read by that room's tick thread; a room hosted again (after
     * {@link #unhost}) keeps its own. The room closes them when it stops.
     */
    private final Map<MatchRoom, JoinedSockets> roomSockets = new ConcurrentHashMap<>();
    /** Work other threads hand to the edge thread: closes decided elsewhere, a newly hosted match. */
    private final ConcurrentLinkedQueue<Runnable> edgeTasks = new ConcurrentLinkedQueue<>();

    private final AtomicLong edgeWakeups = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Selector selector;
    private ServerSocketChannel listener;
    private Thread edgeThread;
    private volatile boolean running;
    private volatile Hosting hosting;

    /**
     * The match hosted now, this server's GameServer name that its join tokens must name, and the
     * joined players' sockets its tick thread reads.
     */
    private record Hosting(MatchRoom room, String gameServer, JoinedSockets sockets) {}

    /** A plaintext (ws://) endpoint: tests, benchmarks, and set-ups that terminate TLS elsewhere. */
    public GameSocketServer(int port, JoinTokenVerifier verifier, MatchServerMetrics metrics, EdgeLimits limits) {
        this(port, verifier, metrics, limits, Optional.empty());
    }

    /**
     * With {@code tls}, the endpoint speaks only wss://: every accepted connection is TLS from its
     * first byte (after the connection caps), and the same limits and close codes apply inside it.
     */
    public GameSocketServer(
            int port,
            JoinTokenVerifier verifier,
            MatchServerMetrics metrics,
            EdgeLimits limits,
            Optional<ServerTls> tls) {
        this.requestedPort = port;
        this.verifier = verifier;
        this.metrics = metrics;
        this.limits = limits;
        this.tls = tls;
        this.caps = new ConnectionCaps(limits.connectionsPerAddress(), limits.connectionsTotal());
    }

    /** Binds and starts accepting; returns once listening (or throws when binding failed). */
    public void start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(requestedPort), 128);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
        running = true;
        edgeThread = new Thread(this::run, "ws-edge");
        edgeThread.setDaemon(true);
        edgeThread.start();
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    /** Routes joins to this room from now on; {@code gameServer} is this server's name, as join tokens name it. */
    public void host(MatchRoom room, String gameServer) {
        if (gameServer == null || gameServer.isEmpty()) {
            throw new IllegalArgumentException("the GameServer's name is needed to check join tokens");
        }
        JoinedSockets sockets = roomSockets.computeIfAbsent(room, r -> {
            try {
                JoinedSockets s = new JoinedSockets(limits.silenceTimeout());
                r.readIncomingFrom(s);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException("could not open a selector for the match's players", e);
            }
        });
        roomSockets.keySet().removeIf(r -> r != room && r.isFinished());
        this.hosting = new Hosting(room, gameServer, sockets);
        onEdge(this::admitAwaitingJoins);
    }

    /** Refuses joins (NO_MATCH) until the next {@link #host}; the old room closes its own players. */
    public void unhost() {
        this.hosting = null;
    }

    /** Live WebSocket connections, joined or not (for tests and leak checks). */
    public int connectionCount() {
        int upgraded = 0;
        for (Connection c : connections) {
            upgraded += c.state() != Connection.State.UPGRADING ? 1 : 0;
        }
        return upgraded;
    }

    /** Verified joins waiting for their match to be allocated here (for tests and leak checks). */
    public int awaitingAllocationCount() {
        return awaitingAllocation.size();
    }

    /** TCP connections open under the connection caps, upgraded or not (for tests and leak checks). */
    public int openSocketCount() {
        return caps.openCount();
    }

    /** TCP connections accepted whose WebSocket upgrade has not completed (for tests and leak checks). */
    public int pendingHandshakeCount() {
        return connections.size() - connectionCount();
    }

    /** How often the edge thread has woken (tests: a match in play must not wake it). */
    long edgeWakeups() {
        return edgeWakeups.get();
    }

    /**
     * Stops accepting; every connection gets a close frame (1001, or the close already decided),
     * and up to a second to take it before the sockets are cut.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                log.warn("the WebSocket edge thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the edge thread ------------------------------------------------------------------------

    private void run() {
        try {
            while (running) {
                long nextDeadline = sweep();
                long waitMillis = nextDeadline == Long.MAX_VALUE
                        ? 0
                        : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextDeadline - System.nanoTime()) + 1);
                selector.select(waitMillis);
                edgeWakeups.incrementAndGet();
                runEdgeTasks();
                Set<SelectionKey> ready = selector.selectedKeys();
                for (SelectionKey key : ready) {
                    handle(key);
                }
                ready.clear();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.error("the WebSocket edge failed; no more players can connect", e);
            }
        } finally {
            shutDown();
            stopped.countDown();
        }
    }

    private void handle(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                accept();
                return;
            }
            Connection c = (Connection) key.attachment();
            if (key.isReadable()) {
                c.readable(System.nanoTime());
            }
            if (key.isValid() && key.isWritable()) {
                c.writable();
            }
            watch(c);
        } catch (RuntimeException e) {
            // Defence in depth: a bug triggered by one client closes that client only.
            log.warn("unexpected failure on a connection; closing it", e);
            if (key.attachment() instanceof Connection c) {
                c.cutNow();
            }
        }
    }

    private void accept() {
        SocketChannel channel;
        try {
            while ((channel = listener.accept()) != null) {
                admitSocket(channel);
            }
        } catch (IOException e) {
            log.debug("accept failed: {}", e.toString());
        }
    }

    private void admitSocket(SocketChannel channel) throws IOException {
        ConnectionCaps.Seat seat;
        try {
            seat = caps.open(((InetSocketAddress) channel.getRemoteAddress()).getAddress());
        } catch (ConnectionCaps.RefusedException e) {
            metrics.connectionRefused(
                    switch (e.refusal()) {
                        case PER_ADDRESS -> "too_many_from_address";
                        case TOTAL -> "too_many_connections";
                    });
            // A reset leaves no TIME_WAIT behind.
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
            return;
        } catch (IOException e) {
            channel.close();
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // Keeps a stalled player's backlog where the edge sees it (EdgeLimits#socketSendBufferBytes).
            channel.setOption(StandardSocketOptions.SO_SNDBUF, limits.socketSendBufferBytes());
            Transport transport = tls.isPresent() ? tlsOver(channel, tls.get()) : Transport.plain(channel);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Connection c = new Connection(transport, key, seat, limits, metrics, owner, System.nanoTime());
            key.attach(c);
            connections.add(c);
        } catch (IOException | RuntimeException e) {
            seat.release();
            channel.close();
            log.debug("could not set up an accepted connection: {}", e.toString());
        }
    }

    private static Transport tlsOver(SocketChannel channel, ServerTls tls) throws IOException {
        SSLEngine engine = tls.context().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(tls.parameters());
        return new TlsTransport(channel, engine);
    }

    /** The edge takes a connection (back): reads what waits, writes what is queued, watches the rest. */
    private void edgeTurn(Connection c) {
        c.readable(System.nanoTime());
        c.writable();
        watch(c);
    }

    /** What the edge watches a connection for: nothing while joined (the tick thread reads it). */
    private void watch(Connection c) {
        if (c.isCut() || !c.key.isValid()) {
            return;
        }
        int ops = c.state() == Connection.State.JOINED
                ? 0
                : SelectionKey.OP_READ | (c.queuedBytes() > 0 ? SelectionKey.OP_WRITE : 0);
        if (c.key.interestOps() != ops) {
            c.key.interestOps(ops);
        }
    }

    /** Enforces deadlines; returns the nearest one left ({@link System#nanoTime}), or Long.MAX_VALUE. */
    private long sweep() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        long joinTimeout = limits.joinTimeout().toNanos();
        for (Connection c : connections) {
            if (c.state() == Connection.State.AWAITING_JOIN && !awaitingAllocation.containsKey(c)) {
                long due = c.openedAt() + joinTimeout;
                if (now - due >= 0) {
                    c.close(ErrorReason.ERROR_REASON_JOIN_TIMEOUT, "no valid JoinRequest in time");
                    watch(c);
                } else {
                    next = Math.min(next, due);
                }
            }
            next = Math.min(next, c.sweep(now));
            watch(c);
        }
        next = Math.min(next, admitAwaitingJoins());
        return next;
    }

    private void runEdgeTasks() {
        Runnable task;
        while ((task = edgeTasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("edge task failed", e);
            }
        }
    }

    /** Runs {@code task} on the edge thread: now when called there, else at its next wake-up. */
    private void onEdge(Runnable task) {
        if (Thread.currentThread() == edgeThread) {
            task.run();
            return;
        }
        edgeTasks.add(task);
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /** The server is stopping: close frames to all, a second to deliver them, then every socket cut. */
    private void shutDown() {
        for (Connection c : connections) {
            c.closeForShutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            while (System.nanoTime() < deadline && pendingWrites()) {
                for (Connection c : connections) {
                    watch(c);
                }
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.attachment() instanceof Connection c) {
                        if (key.isReadable()) {
                            c.readable(System.nanoTime());
                        }
                        if (key.isValid() && key.isWritable()) {
                            c.writable();
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("closing connections at shutdown: {}", e.toString());
        }
        for (Connection c : connections) {
            c.cutNow();
        }
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            log.debug("closing the listener: {}", e.toString());
        }
    }

    private boolean pendingWrites() {
        for (Connection c : connections) {
            if (!c.isCut() && c.queuedBytes() > 0) {
                return true;
            }
        }
        return false;
    }

    // ---- what connections ask of the server ---------------------------------------------------

    private final Connection.Owner owner = new Connection.Owner() {
        @Override
        public void message(Connection c, ByteBuffer payload) {
            try {
                onMessage(c, payload);
            } catch (RuntimeException e) {
                // Defence in depth: a bug triggered by one client closes that client only.
                log.warn("unexpected failure handling a frame; closing that connection", e);
                c.close(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "frame could not be handled");
            }
        }

        @Override
        public void closing(Connection c) {
            if (Thread.currentThread() == edgeThread) {
                // The edge's own handling of this connection calls watch() when it is done.
                return;
            }
            onEdge(() -> edgeTurn(c));
        }

        @Override
        public void readMore(Connection c) {
            edgeTasks.add(() -> edgeTurn(c));
            selector.wakeup();
        }

        @Override
        public void closed(Connection c) {
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
    };

    private void onMessage(Connection c, ByteBuffer frame) {
        switch (c.state()) {
            case UPGRADING, CLOSING -> {
                // Frames after a close decision are the connection's to ignore; none come before the upgrade.
            }
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
        watch(c);
        try {
            hosted.sockets().add(c);
        } catch (IOException | ClosedSelectorException e) {
            // The match stopped being hosted meanwhile.
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
        }
        room.join(slot, c, claims.displayName());
    }

    /**
     * Edge thread: parked joins meet the match hosted now, or time out with NO_MATCH. Returns the
     * nearest join timeout still waiting ({@link System#nanoTime}), or Long.MAX_VALUE.
     */
    private long admitAwaitingJoins() {
        if (awaitingAllocation.isEmpty()) {
            return Long.MAX_VALUE;
        }
        Hosting hosted = hosting;
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Map.Entry<Connection, JoinClaims> parked : awaitingAllocation.entrySet()) {
            Connection c = parked.getKey();
            long due = c.openedAt() + limits.joinTimeout().toNanos();
            boolean timedOut = now - due >= 0;
            if (hosted == null && !timedOut) {
                next = Math.min(next, due);
                continue;
            }
            if (!awaitingAllocation.remove(c, parked.getValue())) {
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
            watch(c);
        }
        return next;
    }
}
