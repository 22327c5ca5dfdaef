package dev.trespasser.bots.game;

import dev.trespasser.bots.ai.HeardSound;
import dev.trespasser.bots.stats.RunStats;
import dev.trespasser.game.wire.SnapshotAssembler;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.ErrorNotice;
import dev.trespasser.proto.game.v1.EventBatch;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.RestartVote;
import dev.trespasser.proto.game.v1.Scoreboard;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Snapshot;
import dev.trespasser.proto.game.v1.SoundKind;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a match server: sends the join token as the first frame, applies
 * and acknowledges delta snapshots, feeds sounds to the {@link MatchPlayer}, sends its inputs at
 * the bot's input rate, votes on the scoreboard when told to, and reports welcomes, round ends and
 * the close to the bot thread. Frames it cannot read are counted and skipped: a confused or
 * hostile server must not take the bot down.
 */
public final class GameConnection {

    private static final Logger log = LoggerFactory.getLogger(GameConnection.class);
    /** Far above any honest frame (a full snapshot of a shipped map is a few KiB). */
    static final int MAX_FRAME_BYTES = 256 * 1024;
    /** Sounds waiting for the next input tick; a flood beyond this is dropped. */
    private static final int MAX_PENDING_SOUNDS = 64;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A client frame carries a 4-byte mask over the 2-byte header (payloads up to 125 bytes). */
    private static final int CLIENT_FRAME_OVERHEAD = 6;

    private final MatchPlayer player;
    private final RunStats stats;
    private final Consumer<ConnectionEvent> events;
    private final Socket socket;
    private final ConcurrentLinkedQueue<HeardSound> sounds = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final SnapshotAssembler assembler = new SnapshotAssembler();
    private volatile SnapshotAssembler.View view = SnapshotAssembler.View.EMPTY;
    private volatile boolean welcomed;
    private volatile boolean voteThisRound;
    private volatile boolean votedThisRound;
    private volatile Scoreboard lastScoreboard;
    private volatile ErrorNotice notice;
    private volatile long activeSinceNanos;
    private volatile long openedNanos;
    private ScheduledFuture<?> inputs;

    /**
     * @param events receives this connection's events on the WebSocket's thread; must not block
     */
    public GameConnection(URI uri, MatchPlayer player, RunStats stats, Consumer<ConnectionEvent> events) {
        this(uri, null, player, stats, events);
    }

    /**
     * @param tls    whom a wss:// connection trusts ({@code null}: the JDK's default); the host name
     *               is checked against the server's certificate
     * @param events receives this connection's events on the WebSocket's thread; must not block
     */
    public GameConnection(
            URI uri, SSLContext tls, MatchPlayer player, RunStats stats, Consumer<ConnectionEvent> events) {
        this.player = player;
        this.stats = stats;
        this.events = events;
        this.socket = new Socket(uri);
        if ("wss".equals(uri.getScheme()) && tls != null) {
            socket.setSocketFactory(tls.getSocketFactory());
        }
    }

    public static URI uri(String host, int port) {
        return uri(host, port, false);
    }

    /** {@code wss://host:port/} when the assignment says the server speaks TLS, else {@code ws://}. */
    public static URI uri(String host, int port, boolean tls) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create((tls ? "wss://" : "ws://") + h + ":" + port + "/");
    }

    /**
     * Connects, sends the join, and starts sending inputs on {@code ticker} once welcomed.
     *
     * @return false when the server could not be reached (the close is reported as an event too)
     */
    public boolean open(String token, ScheduledExecutorService ticker) throws InterruptedException {
        boolean connected = socket.connectBlocking(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!connected) {
            reportClosed(1006, "could not connect to " + socket.getURI());
            return false;
        }
        send(ClientMessage.newBuilder()
                .setJoin(JoinRequest.newBuilder().setToken(token).setProtocolVersion(1))
                .build());
        long period = 1_000_000L / player.inputRateHz();
        synchronized (this) {
            inputs = ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MICROSECONDS);
        }
        return true;
    }

    /** Vote to play again at this round's scoreboard (decided by the bot once per round). */
    public void voteThisRound(boolean vote) {
        voteThisRound = vote;
    }

    /** The phase of the newest snapshot. */
    public MatchPhase phase() {
        return view.phase();
    }

    /** When the bot first saw the active phase on this connection (System.nanoTime), or 0. */
    public long activeSinceNanos() {
        return activeSinceNanos;
    }

    public SnapshotAssembler.View view() {
        return view;
    }

    /** Closes from our side (a deliberate drop, leaving after the match, or shutting down). */
    public void close(int code, String reason) {
        closedByUs.set(true);
        stopInputs();
        socket.close(code, reason);
    }

    /** Drops the TCP connection without a close handshake, like a browser tab that lost its network. */
    public void drop() {
        closedByUs.set(true);
        stopInputs();
        socket.closeConnection(1006, "dropped on purpose");
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    private void tick() {
        try {
            if (!welcomed || !socket.isOpen()) {
                return;
            }
            List<HeardSound> heard = drainSounds();
            ClientMessage input = player.nextInput(view, heard, System.nanoTime());
            if (input != null) {
                send(input);
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is silently cancelled: log and keep ticking instead.
            log.warn("input tick failed on {}: {}", socket.getURI(), e.toString());
        }
    }

    private List<HeardSound> drainSounds() {
        if (sounds.isEmpty()) {
            return Collections.emptyList();
        }
        List<HeardSound> out = new ArrayList<>();
        HeardSound s;
        while ((s = sounds.poll()) != null) {
            out.add(s);
        }
        return out;
    }

    private void send(ClientMessage message) {
        byte[] frame = message.toByteArray();
        try {
            socket.send(frame);
            stats.bytesOut.add(frame.length + CLIENT_FRAME_OVERHEAD + (frame.length > 125 ? 2 : 0));
        } catch (RuntimeException e) {
            // Closed meanwhile: the close event tells the bot.
        }
    }

    private synchronized void stopInputs() {
        if (inputs != null) {
            inputs.cancel(false);
        }
    }

    void receive(ByteBuffer bytes) {
        int n = bytes.remaining();
        // Server frames are unmasked: 2 header bytes up to 125 payload bytes, 4 up to 64 KiB, 10 above.
        stats.bytesIn.add(n + (n <= 125 ? 2 : n <= 65_535 ? 4 : 10));
        ServerMessage m;
        try {
            m = ServerMessage.parseFrom(bytes);
        } catch (Exception e) {
            stats.malformedFrames.increment();
            log.debug("unreadable frame from {}: {}", socket.getURI(), e.toString());
            return;
        }
        switch (m.getKindCase()) {
            case WELCOME -> {
                player.welcomed(m.getWelcome());
                welcomed = true;
                events.accept(new ConnectionEvent.Welcomed(this, m.getWelcome()));
            }
            case SNAPSHOT -> snapshot(m.getSnapshot());
            case EVENTS -> hear(m.getEvents());
            case SCOREBOARD -> {
                lastScoreboard = m.getScoreboard();
                if (voteThisRound && !votedThisRound) {
                    votedThisRound = true;
                    send(ClientMessage.newBuilder()
                            .setVote(RestartVote.getDefaultInstance())
                            .build());
                }
            }
            case MATCH_END -> {
                Scoreboard board = lastScoreboard;
                votedThisRound = false;
                voteThisRound = false;
                lastScoreboard = null;
                events.accept(new ConnectionEvent.RoundEnded(this, m.getMatchEnd(), board));
            }
            case ERROR -> notice = m.getError();
            default -> stats.malformedFrames.increment();
        }
    }

    private void snapshot(Snapshot s) {
        SnapshotAssembler.View v;
        try {
            v = assembler.apply(s);
        } catch (IllegalArgumentException e) {
            // A baseline we never had: skip it; the server keeps using the last one we acked.
            stats.malformedFrames.increment();
            return;
        }
        long now = System.nanoTime();
        view = v;
        stats.snapshots.increment();
        if (v.phase() == MatchPhase.MATCH_PHASE_ACTIVE && activeSinceNanos == 0) {
            activeSinceNanos = now;
        }
        player.inputsApplied(v.lastInputSequence(), now);
        ClientMessage waiting = player.snapshotApplied(s.getTick());
        if (waiting != null) {
            send(waiting);
        }
    }

    private void hear(EventBatch batch) {
        for (int packed : batch.getSoundsList()) {
            if (sounds.size() >= MAX_PENDING_SOUNDS) {
                return;
            }
            SoundKind kind = Wire.soundKind(packed);
            if (kind != SoundKind.SOUND_KIND_UNSPECIFIED) {
                sounds.add(new HeardSound(kind, Wire.soundDirection(packed), Wire.soundMuffled(packed)));
            }
        }
    }

    private void reportClosed(int code, String reason) {
        if (!closeReported.compareAndSet(false, true)) {
            return;
        }
        stopInputs();
        if (openedNanos != 0) {
            stats.connectionClosed(openedNanos, System.nanoTime());
        }
        events.accept(new ConnectionEvent.Closed(this, code, reason == null ? "" : reason, notice, closedByUs.get()));
    }

    private final class Socket extends WebSocketClient {

        Socket(URI uri) {
            super(uri, new Draft_6455(Collections.emptyList(), MAX_FRAME_BYTES), null, (int)
                    CONNECT_TIMEOUT.toMillis());
            setTcpNoDelay(true);
            // Notice a server that vanished without closing TCP within seconds, not a minute.
            setConnectionLostTimeout(5);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            // On the socket's own thread, before any close it reports: the open/close accounting pairs up.
            long now = System.nanoTime();
            stats.connectionOpened(now);
            openedNanos = now;
        }

        @Override
        public void onMessage(String message) {
            // The protocol is binary only.
            stats.malformedFrames.increment();
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            try {
                receive(bytes);
            } catch (RuntimeException e) {
                stats.malformedFrames.increment();
                log.warn("frame from {} could not be handled: {}", getURI(), e.toString());
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            reportClosed(code, reason);
        }

        @Override
        public void onError(Exception ex) {
            log.debug("WebSocket error on {}: {}", getURI(), ex.toString());
        }
    }
}
