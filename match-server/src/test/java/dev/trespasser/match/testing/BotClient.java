package dev.trespasser.match.testing;

import dev.trespasser.game.wire.InputPacer;
import dev.trespasser.game.wire.PendingAck;
import dev.trespasser.game.wire.SnapshotAssembler;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.ErrorNotice;
import dev.trespasser.proto.game.v1.GameEvent;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.PlayerFlag;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.RestartVote;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Welcome;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A headless player over a real WebSocket: joins with a token, assembles snapshots, acknowledges
 * them, and (when driven by {@link #play()}) sends a {@link BotBrain}'s inputs. Counts what goes
 * each way so tests and the benchmark can measure bandwidth. By default every {@link #play()}
 * sends its input (the worst case, what the functional tests drive); {@link #everyInput(boolean)
 * everyInput(false)} paces them as real clients do ({@link InputPacer}: on change, else every
 * 100 ms).
 */
public final class BotClient extends WebSocketClient {

    /**
     * System property the benchmarks read: true sends every input (the worst case), false paces.
     * The soak defaults to every input, the throughput and density benchmarks to pacing.
     */
    public static final String EVERY_INPUT_PROPERTY = "bench.everyInput";

    /** A client-to-server frame carries a 4-byte mask over the 2-byte header up to 125 bytes. */
    private static final int CLIENT_FRAME_OVERHEAD = 6;

    private final BotBrain brain;
    private final SnapshotAssembler assembler = new SnapshotAssembler();
    private final PendingAck ack = new PendingAck();
    private final InputPacer pacer = new InputPacer();
    private volatile boolean everyInput = true;
    private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger snapshots = new AtomicInteger();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private volatile ErrorNotice error;
    private volatile String closeReason;
    private volatile SnapshotAssembler.View view = SnapshotAssembler.View.EMPTY;
    /** Names from PlayerConnectionEvents of joins, by slot: what a client learns after its Welcome. */
    private final Map<Integer, String> namesHeard = new ConcurrentHashMap<>();

    private volatile boolean matchEnded;
    private volatile boolean voteOnScoreboard;
    private volatile boolean votedThisRound;
    private volatile int framesBeforeVote;
    private volatile Exception lastException;
    private final AtomicInteger matchEnds = new AtomicInteger();

    public BotClient(int port, long seed) {
        this(URI.create("ws://127.0.0.1:" + port + "/"), null, seed);
    }

    /** A player at {@code uri}; for wss://, {@code tls} says whom it trusts (it checks the host name too). */
    public BotClient(URI uri, SSLContext tls, long seed) {
        super(uri);
        this.brain = new BotBrain(seed).roamTowards(480, 270);
        setTcpNoDelay(true);
        if (tls != null) {
            setSocketFactory(tls.getSocketFactory());
        }
    }

    /** Connects and sends the join; returns once the server answered with a Welcome. */
    public Welcome join(String token) throws Exception {
        connectAndSend(ClientMessage.newBuilder()
                .setJoin(JoinRequest.newBuilder().setToken(token))
                .build()
                .toByteArray());
        return welcome.get(5, TimeUnit.SECONDS);
    }

    /** Connects and sends one raw frame, without waiting for an answer. */
    public void connectAndSend(byte[] frame) throws Exception {
        if (!connectBlocking(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not connect");
        }
        sendFrame(frame);
    }

    public void sendFrame(byte[] frame) {
        bytesUp.addAndGet(frame.length + CLIENT_FRAME_OVERHEAD);
        send(frame);
    }

    /** Whether this bot votes to play again on the scoreboard. */
    public BotClient voting(boolean vote) {
        voteOnScoreboard = vote;
        return this;
    }

    /**
     * Sends {@code frames} inputs in one burst right before its vote, so the vote arrives when the
     * server's per-connection frame rate is used up.
     */
    public BotClient burstingBeforeVote(int frames) {
        framesBeforeVote = frames;
        return this;
    }

    /** The benchmarks' setting: {@value #EVERY_INPUT_PROPERTY} when given, else {@code defaultValue}. */
    public static boolean everyInputSetting(boolean defaultValue) {
        String value = System.getProperty(EVERY_INPUT_PROPERTY);
        return value == null || value.isBlank() ? defaultValue : Boolean.parseBoolean(value.strip());
    }

    /** Sends every input (true, the default) or paces them like a real client (false); set before joining. */
    public BotClient everyInput(boolean every) {
        everyInput = every;
        return this;
    }

    /** One input from the brain, from what this client knows; no-op before the Welcome or when closed. */
    public void play() {
        if (!welcome.isDone() || !isOpen() || matchEnded) {
            return;
        }
        Welcome w = welcome.getNow(null);
        SnapshotAssembler.View v = view;
        PlayerState me = v.players().get(w.getSlot());
        double x = me == null ? 0 : Wire.worldUnits(me.getX());
        double y = me == null ? 0 : Wire.worldUnits(me.getY());
        PlayerState target = null;
        for (PlayerState p : v.players().values()) {
            boolean enemy = p.getSlot() != w.getSlot() && !sameTeam(w, p.getSlot());
            if (enemy && (p.getFlags() & PlayerFlag.PLAYER_FLAG_ALIVE_VALUE) != 0) {
                target = p;
                break;
            }
        }
        InputCommand input = brain.next(
                x,
                y,
                target != null,
                target == null ? 0 : Wire.worldUnits(target.getX()),
                target == null ? 0 : Wire.worldUnits(target.getY()));
        if (everyInput) {
            sendQuietly(ack.withInput(input).toByteArray());
            return;
        }
        ClientMessage paced = pacer.offer(input, System.nanoTime());
        if (paced != null) {
            sendQuietly(paced.toByteArray());
        }
    }

    private boolean sameTeam(Welcome w, int slot) {
        return slot < w.getRosterCount() && w.getRoster(slot).getTeam() == w.getTeam();
    }

    private void sendQuietly(byte[] frame) {
        try {
            sendFrame(frame);
        } catch (RuntimeException e) {
            // Closed meanwhile: the test looks at the close code.
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onMessage(ByteBuffer bytes) {
        // The server sends unmasked frames: 2 header bytes up to 125 payload bytes, 4 up to 64 KiB.
        int n = bytes.remaining();
        bytesDown.addAndGet(n + (n <= 125 ? 2 : 4));
        ServerMessage m;
        try {
            m = ServerMessage.parseFrom(bytes);
        } catch (Exception e) {
            throw new IllegalStateException("server sent an unreadable frame", e);
        }
        switch (m.getKindCase()) {
            case WELCOME -> {
                brain.continueAfter(m.getWelcome().getLastInputSequence());
                pacer.welcomed(m.getWelcome().getLastInputSequence());
                welcome.complete(m.getWelcome());
            }
            case SNAPSHOT -> {
                view = assembler.apply(m.getSnapshot());
                snapshots.incrementAndGet();
                int tick = m.getSnapshot().getTick();
                ClientMessage waiting = everyInput ? ack.snapshotApplied(tick) : pacer.snapshotApplied(tick);
                if (waiting != null) {
                    sendQuietly(waiting.toByteArray());
                }
            }
            case SCOREBOARD -> {
                if (voteOnScoreboard && !votedThisRound) {
                    votedThisRound = true;
                    byte[] filler = ClientMessage.newBuilder()
                            .setInput(InputCommand.newBuilder().setSequence(1))
                            .build()
                            .toByteArray();
                    for (int i = 0; i < framesBeforeVote; i++) {
                        sendQuietly(filler);
                    }
                    sendQuietly(ClientMessage.newBuilder()
                            .setVote(RestartVote.getDefaultInstance())
                            .build()
                            .toByteArray());
                }
            }
            case MATCH_END -> {
                votedThisRound = false;
                matchEnds.incrementAndGet();
                matchEnded = !m.getMatchEnd().getRestarting();
            }
            case EVENTS -> {
                for (GameEvent e : m.getEvents().getEventsList()) {
                    if (e.hasConnection() && e.getConnection().getConnected()) {
                        namesHeard.put(
                                e.getConnection().getSlot(), e.getConnection().getDisplayName());
                    }
                }
            }
            case ERROR -> error = m.getError();
            default -> {}
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeReason = reason;
        closed.complete(code);
    }

    @Override
    public void onError(Exception ex) {
        lastException = ex;
    }

    /** The last error the client library reported (null when none). */
    public Exception lastException() {
        return lastException;
    }

    public int slot() {
        Welcome w = welcome.getNow(null);
        return w == null ? -1 : w.getSlot();
    }

    /** The close code, waiting up to {@code seconds} for the close. */
    public int closeCode(long seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    public boolean closed() {
        return closed.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    public ErrorNotice error() {
        return error;
    }

    public int snapshots() {
        return snapshots.get();
    }

    public SnapshotAssembler.View view() {
        return view;
    }

    /** MatchEnd messages received (one per round). */
    public int matchEnds() {
        return matchEnds.get();
    }

    /** True once a MatchEnd without restart arrived. */
    public boolean matchEnded() {
        return matchEnded;
    }

    public long bytesDown() {
        return bytesDown.get();
    }

    public long bytesUp() {
        return bytesUp.get();
    }

    public Map<Integer, PlayerState> players() {
        return view.players();
    }

    /** The name a join of {@code slot} announced since the Welcome, waiting up to 5 s; null if none came. */
    public String nameHeard(int slot) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!namesHeard.containsKey(slot) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return namesHeard.get(slot);
    }
}
