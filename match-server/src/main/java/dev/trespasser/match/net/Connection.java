package dev.trespasser.match.net;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ServerMessages;
import dev.trespasser.match.room.ClientLink;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/**
 * One client's socket, from accept to close: the TLS handshake and HTTP upgrade, WebSocket frames
 * both ways, its join state, rate limits and outbound backlog, and the close handshake.
 *
 * <p>Two threads drive it, one at a time. The edge thread ({@link GameSocketServer}) reads it while
 * it upgrades and joins, and again once it is closing. While it is {@link State#JOINED}, the room's
 * tick thread owns it: {@link #poll} reads what the player sent at the start of each tick and
 * {@link #flush} writes the tick's frames at its end, so a match in play wakes no thread but the
 * tick's. Every method that touches the socket holds this object's lock; the state says whose
 * turn it is.
 */
final class Connection implements ClientLink {

    enum State {
        /** Accepted: TLS handshake (with TLS) and the HTTP upgrade request. */
        UPGRADING,
        AWAITING_JOIN,
        JOINED,
        CLOSING
    }

    /** What the connection asks of its server. */
    interface Owner {
        /** A binary message, in state AWAITING_JOIN (edge thread) or JOINED (tick thread). */
        void message(Connection c, ByteBuffer payload);

        /** A close was decided (any thread): the edge takes the connection over to finish it. */
        void closing(Connection c);

        /** The socket is closed (edge thread): forget the connection. */
        void closed(Connection c);

        /** A read pass on the edge stopped at its budget with bytes left: read again soon. */
        void readMore(Connection c);
    }

    static final long CLOSE_DELAY_NANOS = 250_000_000L;
    /** A close handshake the peer does not finish within this after the close frame is cut at the TCP level. */
    static final long CLOSE_GRACE_NANOS = 2_000_000_000L;
    /** Outbound bytes queued to a client above which its pings go unanswered (a few pongs' worth). */
    static final int PONG_BACKLOG_BYTES = 1024;
    /** What one read pass takes at most, so a flooding client cannot hold the thread. */
    private static final int READ_BUDGET_BYTES = 64 * 1024;

    private static final int INITIAL_INPUT_BYTES = 2 * 1024;

    final Transport transport;
    final SelectionKey key;
    final ConnectionCaps.Seat seat;
    final long acceptedAt;
    private final EdgeLimits limits;
    private final MatchServerMetrics metrics;
    private final Owner owner;
    private final ClientFrameReader reader;

    final TokenBucket frames;
    final TokenBucket flood;

    /** Bytes read and not consumed yet (write mode). */
    private ByteBuffer in = ByteBuffer.allocate(INITIAL_INPUT_BYTES);

    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private ByteBuffer[] gather = new ByteBuffer[8];

    private volatile State state = State.UPGRADING;
    private volatile MatchRoom room;
    private volatile int slot = -1;
    private volatile String tokenId;
    private volatile long openedAt;
    private long lastHeardAt;
    private boolean pingSent;
    private long backlogSince = -1;

    // Closing, guarded by the lock.
    private long closeRequestedAt;
    private long cutAfterNanos;
    private int closeCode;
    private String closeMessage;
    private boolean closeFrameSent;
    /** Cut the socket as soon as what is queued is written (the close handshake is complete or moot). */
    private boolean cutWhenWritten;

    private boolean cut;

    /** While JOINED: what the tick thread reads this connection through. */
    private JoinedSockets readBy;

    private SelectionKey readKey;

    Connection(
            Transport transport,
            SelectionKey key,
            ConnectionCaps.Seat seat,
            EdgeLimits limits,
            MatchServerMetrics metrics,
            Owner owner,
            long now) {
        this.transport = transport;
        this.key = key;
        this.seat = seat;
        this.acceptedAt = now;
        this.lastHeardAt = now;
        this.limits = limits;
        this.metrics = metrics;
        this.owner = owner;
        this.reader = new ClientFrameReader(limits.transportFrameBytes());
        this.frames = new TokenBucket(limits.framesPerSecond(), limits.frameBurst(), now);
        this.flood = new TokenBucket(limits.framesPerSecond() / 3.0, limits.droppedBeforeClose(), now);
    }

    State state() {
        return state;
    }

    MatchRoom room() {
        return room;
    }

    int slot() {
        return slot;
    }

    /** When the upgrade completed ({@link System#nanoTime}); the join deadline counts from it. */
    long openedAt() {
        return openedAt;
    }

    /** The join token id ({@code jti}) this connection holds until it closes. */
    String tokenId() {
        return tokenId;
    }

    void holdsToken(String tokenId) {
        this.tokenId = tokenId;
    }

    /** The tick thread owns the socket from now on (see the class comment). */
    synchronized void joined(MatchRoom room, int slot) {
        this.room = room;
        this.slot = slot;
        this.state = State.JOINED;
        seat.joined();
    }

    synchronized boolean isCut() {
        return cut;
    }

    // ---- the edge thread ------------------------------------------------------------------------

    /** The socket is readable, or the edge took the connection over: reads and handles what arrived. */
    synchronized void readable(long now) {
        if (!cut && state != State.JOINED) {
            readAndHandle(now, false);
        }
    }

    /** Writes what is queued; false while some is left (the edge then waits for the socket). */
    synchronized boolean writable() {
        if (cut) {
            return true;
        }
        writeOut();
        if (cutWhenWritten && queuedBytes() == 0) {
            cutNow();
        }
        return cut || queuedBytes() == 0;
    }

    /**
     * Enforces this connection's deadlines (edge thread, joined connections excepted); returns
     * the next one ({@link System#nanoTime}), or {@link Long#MAX_VALUE} when it has none.
     */
    synchronized long sweep(long now) {
        if (cut) {
            return Long.MAX_VALUE;
        }
        switch (state) {
            case UPGRADING -> {
                long due = acceptedAt + limits.handshakeTimeout().toNanos();
                if (now - due >= 0) {
                    metrics.connectionRefused("handshake_timeout");
                    // No HTTP answer: the peer never finished asking; a plain TCP close is the answer.
                    cutNow();
                    return Long.MAX_VALUE;
                }
                return due;
            }
            case CLOSING -> {
                if (!closeFrameSent) {
                    long due = closeRequestedAt + CLOSE_DELAY_NANOS;
                    if (now - due < 0) {
                        return due;
                    }
                    sendCloseFrame();
                }
                long cutAt = closeRequestedAt + cutAfterNanos;
                if (now - cutAt >= 0) {
                    cutNow();
                    return Long.MAX_VALUE;
                }
                return cutAt;
            }
            default -> {
                return Long.MAX_VALUE;
            }
        }
    }

    /** Closes the socket now, without a close handshake (edge thread). */
    synchronized void cutNow() {
        if (cut) {
            return;
        }
        cut = true;
        state = State.CLOSING;
        stopReadingOnTick();
        key.cancel();
        transport.close();
        seat.release();
        owner.closed(this);
    }

    /** The server is stopping: a close frame goes now, whatever was decided before. */
    synchronized void closeForShutdown() {
        if (cut) {
            return;
        }
        if (state == State.UPGRADING) {
            // Not a WebSocket yet: a close frame would be garbage to it.
            cutNow();
            return;
        }
        if (state != State.CLOSING) {
            state = State.CLOSING;
            closeRequestedAt = System.nanoTime();
            closeCode = 1001;
            closeMessage = "server shutting down";
        }
        if (!closeFrameSent) {
            sendCloseFrame();
        }
        writeOut();
    }

    // ---- the tick thread, while JOINED -------------------------------------------------------------

    /**
     * Reads what the player sent since the last tick and hands it to the room (tick thread, from
     * {@link JoinedSockets}); true when bytes are left over that the socket's readiness will not
     * announce again (a read cut at its budget, decrypted bytes held by TLS).
     */
    synchronized boolean poll(long now) {
        if (cut || state != State.JOINED) {
            return false;
        }
        readAndHandle(now, true);
        return state == State.JOINED && !cut && transport.buffered();
    }

    /**
     * Tick thread, several times per silence timeout: a joined player silent for long is pinged,
     * then cut. The ping always comes first: a tick that ran late finds the whole timeout gone
     * without a ping, pings then, and leaves the cut to the next check.
     */
    synchronized void checkSilence(long now) {
        if (cut || state != State.JOINED) {
            return;
        }
        long silent = now - lastHeardAt;
        long cutAfter = limits.silenceTimeout().toNanos();
        if (silent > cutAfter && pingSent) {
            // The peer is gone: no close handshake to wait for, the socket is cut.
            metrics.connectionRefused("silent");
            endOfStream();
        } else if (silent > cutAfter / 2 && !pingSent) {
            pingSent = true;
            out.add(ServerFrames.ping());
        }
    }

    /** At admission: from now on the tick thread reads this connection through {@code sockets}. */
    synchronized void readOnTick(JoinedSockets sockets, SelectionKey key) {
        this.readBy = sockets;
        this.readKey = key;
        if (state != State.JOINED || cut) {
            stopReadingOnTick();
        }
    }

    /** Closing or closed: the tick thread stops reading this connection. */
    synchronized void stopReadingOnTick() {
        if (readBy != null) {
            readBy.remove(this, readKey);
            readBy = null;
            readKey = null;
        }
    }

    @Override
    public synchronized boolean send(byte[] frame, boolean droppable) {
        if (state != State.JOINED || cut) {
            return false;
        }
        long queued = queuedBytes();
        if (queued >= limits.backlogCloseBytes()) {
            close(ErrorReason.ERROR_REASON_SLOW_CONSUMER, "too much unread data");
            return false;
        }
        if (queued > limits.backlogBytes()) {
            long now = System.nanoTime();
            if (backlogSince < 0) {
                backlogSince = now;
            } else if (now - backlogSince > limits.backlogGrace().toNanos()) {
                close(ErrorReason.ERROR_REASON_SLOW_CONSUMER, "reading too slowly");
                return false;
            }
            if (droppable) {
                return false;
            }
        } else {
            backlogSince = -1;
        }
        out.add(ServerFrames.binary(frame));
        return true;
    }

    /** Writes the tick's frames: one gathering write (one TLS record with TLS) for all of them. */
    @Override
    public synchronized void flush() {
        if (state == State.JOINED && !cut && !out.isEmpty()) {
            writeOut();
        }
    }

    // ---- any thread ----------------------------------------------------------------------------------

    /**
     * Closes gracefully: the notice goes now and the close frame {@link #CLOSE_DELAY_NANOS} later,
     * so frames the client sent meanwhile are read (and ignored) rather than left unread when the
     * server closes its socket, which would reset the connection and lose notice and close code.
     * A slow consumer is closed at once: nothing queued behind its backlog would get through. A
     * flooder gets notice and close frame at once, and its socket is cut {@link #CLOSE_DELAY_NANOS}
     * later: reading its flood for the whole close handshake would cost the server what the rate
     * limit just saved.
     */
    @Override
    public void close(ErrorReason reason, String message) {
        synchronized (this) {
            if (state == State.CLOSING || cut) {
                return;
            }
            boolean slow = reason == ErrorReason.ERROR_REASON_SLOW_CONSUMER;
            boolean flooding = reason == ErrorReason.ERROR_REASON_RATE_LIMITED;
            if (slow) {
                dropQueuedFrames();
            } else {
                out.add(ServerFrames.binary(
                        ServerMessages.error(reason, message).toByteArray()));
            }
            decideClose(
                    ServerMessages.closeCode(reason),
                    message,
                    flooding ? CLOSE_DELAY_NANOS : CLOSE_DELAY_NANOS + CLOSE_GRACE_NANOS,
                    slow || flooding);
        }
        metrics.connectionRefused(reason.name().replace("ERROR_REASON_", "").toLowerCase(Locale.ROOT));
    }

    /** Outbound bytes not written to the socket yet. */
    synchronized long queuedBytes() {
        long total = transport.pendingBytes();
        for (ByteBuffer b : out) {
            total += b.remaining();
        }
        return total;
    }

    // ---- reading and writing, under the lock --------------------------------------------------------

    /**
     * Reads and handles what arrived, as the tick thread ({@code onTick}: the connection is JOINED)
     * or the edge thread; stops where the other thread's turn begins.
     */
    private void readAndHandle(long now, boolean onTick) {
        int budget = READ_BUDGET_BYTES;
        try {
            while (!cut && budget > 0 && (state == State.JOINED) == onTick) {
                if (!in.hasRemaining()) {
                    in = grow(in);
                    if (in == null) {
                        return;
                    }
                }
                int n = transport.read(in);
                if (n < 0) {
                    endOfStream();
                    return;
                }
                if (n > 0) {
                    budget -= n;
                    lastHeardAt = now;
                    pingSent = false;
                }
                handleInput(now, onTick);
                if (n == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            endOfStream();
            return;
        }
        if (budget <= 0 && !onTick && !cut && state != State.JOINED) {
            owner.readMore(this);
        }
        if (!cut && (state != State.JOINED) && queuedBytes() > 0) {
            writeOut();
            if (cutWhenWritten && queuedBytes() == 0) {
                cutNow();
            }
        }
    }

    /** A larger input buffer, up to one frame at the bound; null when the bound is reached (unread bytes wait). */
    private ByteBuffer grow(ByteBuffer buffer) {
        int max = state == State.UPGRADING ? limits.handshakeBytes() + 1 : reader.maxFrameBytes();
        if (buffer.capacity() >= max) {
            return null;
        }
        return ByteBuffer.allocate(Math.min(max, buffer.capacity() * 2)).put(buffer.flip());
    }

    private void handleInput(long now, boolean onTick) throws IOException {
        in.flip();
        try {
            if (state == State.UPGRADING) {
                upgrade();
            }
            // A join in the middle of what the edge read leaves the rest for the tick thread, and
            // a close decided on the tick thread leaves the rest for the edge.
            while (!cut && state != State.UPGRADING && in.hasRemaining() && (state == State.JOINED) == onTick) {
                ClientFrameReader.Frame frame;
                try {
                    frame = reader.next(in);
                } catch (ClientFrameReader.ProtocolException e) {
                    in.position(in.limit());
                    protocolError(e.closeCode(), e.getMessage());
                    return;
                }
                if (frame == null) {
                    return;
                }
                handleFrame(frame, now);
            }
        } finally {
            in.compact();
        }
    }

    private void upgrade() throws IOException {
        if (!transport.established()) {
            return;
        }
        int end = UpgradeRequest.end(in);
        if (end < 0) {
            if (in.remaining() > limits.handshakeBytes()) {
                metrics.connectionRefused("handshake_too_large");
                cutNow();
            }
            return;
        }
        if (end - in.position() > limits.handshakeBytes()) {
            metrics.connectionRefused("handshake_too_large");
            cutNow();
            return;
        }
        byte[] request = new byte[end - in.position()];
        in.get(request);
        UpgradeRequest.Answer answer = UpgradeRequest.answer(request);
        out.add(ByteBuffer.wrap(answer.response()));
        if (!answer.upgraded()) {
            metrics.connectionRefused("bad_upgrade");
            state = State.CLOSING;
            closeRequestedAt = System.nanoTime();
            cutAfterNanos = CLOSE_GRACE_NANOS;
            closeFrameSent = true;
            cutWhenWritten = true;
            return;
        }
        state = State.AWAITING_JOIN;
        openedAt = System.nanoTime();
    }

    private void handleFrame(ClientFrameReader.Frame frame, long now) {
        ByteBuffer payload = frame.payload();
        metrics.bytesReceived(payload.remaining());
        switch (frame.opcode()) {
            case ServerFrames.OP_BINARY -> {
                if (state == State.CLOSING) {
                    cutIfStillFlooding(now);
                } else {
                    owner.message(this, payload);
                }
            }
            case ServerFrames.OP_TEXT -> {
                if (state == State.CLOSING) {
                    cutIfStillFlooding(now);
                } else {
                    close(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "text frames are not accepted");
                }
            }
            case ServerFrames.OP_PING -> {
                if (controlFrame(now) && queuedBytes() < PONG_BACKLOG_BYTES) {
                    out.add(ServerFrames.pong(payload));
                }
            }
            case ServerFrames.OP_PONG -> controlFrame(now);
            case ServerFrames.OP_CLOSE -> peerClosed(payload);
            default -> throw new IllegalStateException("the reader returned opcode " + frame.opcode());
        }
    }

    /**
     * Charges a control frame (ping, pong) to the frame budget; false when it is over the rate and
     * must go unanswered, and once the flood budget is spent too, the connection is closed.
     */
    private boolean controlFrame(long now) {
        if (state == State.CLOSING) {
            cutIfStillFlooding(now);
            return false;
        }
        if (frames.tryTake(now)) {
            return true;
        }
        if (!flood.tryTake(now)) {
            close(ErrorReason.ERROR_REASON_RATE_LIMITED, "too many control frames");
        }
        return false;
    }

    /**
     * A frame arrived after the close was decided: read and ignored while within the rate (the
     * graceful close is for those), but a peer still flooding past its close frame is cut at once.
     */
    void cutIfStillFlooding(long now) {
        if (closeFrameSent && !frames.tryTake(now) && !flood.tryTake(now)) {
            cutNow();
        }
    }

    /** The peer sent its close frame: answered with ours unless ours went first, then the socket closes. */
    private void peerClosed(ByteBuffer payload) {
        if (!closeFrameSent) {
            int code = payload.remaining() >= 2 ? payload.getShort(payload.position()) & 0xFFFF : 1000;
            if (state != State.CLOSING) {
                closeRequestedAt = System.nanoTime();
                cutAfterNanos = CLOSE_GRACE_NANOS;
                closeCode = code;
                closeMessage = "";
            }
            state = State.CLOSING;
            sendCloseFrame();
        }
        cutWhenWritten = true;
        stopReadingOnTick();
        owner.closing(this);
    }

    private void protocolError(int code, String message) {
        if (state == State.CLOSING) {
            cutNow();
            return;
        }
        metrics.connectionRefused(code == ClientFrameReader.MESSAGE_TOO_BIG ? "frame_too_large" : "protocol_error");
        decideClose(code, message, CLOSE_DELAY_NANOS, true);
    }

    private void endOfStream() {
        if (state == State.JOINED) {
            // Cut on the edge thread, which owns the selector's keys.
            state = State.CLOSING;
            closeFrameSent = true;
            cutWhenWritten = true;
            out.clear();
            stopReadingOnTick();
            owner.closing(this);
        } else {
            cutNow();
        }
    }

    /** Lock held. The edge takes the connection over from here. */
    private void decideClose(int code, String message, long cutAfter, boolean frameNow) {
        state = State.CLOSING;
        closeRequestedAt = System.nanoTime();
        cutAfterNanos = cutAfter;
        closeCode = code;
        closeMessage = message;
        if (frameNow) {
            sendCloseFrame();
        }
        stopReadingOnTick();
        owner.closing(this);
    }

    private void sendCloseFrame() {
        closeFrameSent = true;
        out.add(ServerFrames.close(closeCode, closeMessage == null ? "" : closeMessage));
    }

    /** Drops queued frames a slow consumer will never read, keeping one already partly written. */
    private void dropQueuedFrames() {
        ByteBuffer head = out.peekFirst();
        boolean started = head != null && head.position() > 0 && head.hasRemaining();
        out.clear();
        if (started) {
            out.add(head);
        }
    }

    private void writeOut() {
        try {
            while (!out.isEmpty() || transport.pendingBytes() > 0) {
                int n = 0;
                for (ByteBuffer b : out) {
                    if (n == gather.length) {
                        break;
                    }
                    gather[n++] = b;
                }
                if (n == 0) {
                    transport.write(gather, 0, 0);
                    return;
                }
                transport.write(gather, 0, n);
                Arrays.fill(gather, 0, n, null);
                int written = 0;
                while (!out.isEmpty() && !out.peekFirst().hasRemaining()) {
                    out.pollFirst();
                    written++;
                }
                if (written < n) {
                    return;
                }
            }
        } catch (IOException e) {
            out.clear();
            if (state == State.JOINED) {
                endOfStream();
            } else {
                cutNow();
            }
        }
    }
}
