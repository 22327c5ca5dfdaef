package dev.trespasser.match.net;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ServerMessages;
import dev.trespasser.match.room.ClientLink;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * One player's WebSocket: its join state, its inbound rate limits (touched only by the edge's
 * worker thread) and its outbound backlog guard (touched by the room's tick thread).
 */
final class Connection implements ClientLink {

    enum State {
        AWAITING_JOIN,
        JOINED,
        CLOSING
    }

    static final long CLOSE_DELAY_NANOS = 250_000_000L;
    /** A close handshake the peer does not finish within this after the close frame is cut at the TCP level. */
    static final long CLOSE_GRACE_NANOS = 2_000_000_000L;

    /** Close reasons are limited to 123 bytes by RFC 6455. */
    private static final int MAX_REASON_BYTES = 120;

    final WebSocket socket;
    final long openedAt;
    private final EdgeLimits limits;
    private final MatchServerMetrics metrics;
    /** Asks for a sweep soon: a close decided here gets a deadline only the sweep enforces. */
    private final Runnable closeScheduled;

    final TokenBucket frames;
    final TokenBucket flood;

    private volatile State state = State.AWAITING_JOIN;
    private volatile MatchRoom room;
    private volatile int slot = -1;
    private volatile String tokenId;
    private volatile long closeRequestedAt;
    private volatile int closeCode;
    private volatile String closeMessage;
    private volatile boolean closeFrameSent;
    private volatile long cutAfterNanos;
    private long backlogSince = -1;

    Connection(WebSocket socket, EdgeLimits limits, MatchServerMetrics metrics, long now, Runnable closeScheduled) {
        this.socket = socket;
        this.closeScheduled = closeScheduled;
        this.openedAt = now;
        this.limits = limits;
        this.metrics = metrics;
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

    /** The join token id ({@code jti}) this connection holds until it closes. */
    String tokenId() {
        return tokenId;
    }

    void holdsToken(String tokenId) {
        this.tokenId = tokenId;
    }

    void joined(MatchRoom room, int slot) {
        this.room = room;
        this.slot = slot;
        this.state = State.JOINED;
    }

    /**
     * Charges a control frame (ping, pong) to the frame budget; false when it is over the rate and
     * must go unanswered, and once the flood budget is spent too, the connection is closed.
     */
    boolean controlFrame(long now) {
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
            socket.closeConnection(closeCode, "still flooding after the close");
        }
    }

    /** Whether a close decided earlier has run out of time and the socket must be cut at the TCP level. */
    boolean closeOverdue(long now) {
        return state == State.CLOSING && now - closeRequestedAt > cutAfterNanos;
    }

    int closeCode() {
        return closeCode;
    }

    @Override
    public boolean send(byte[] frame, boolean droppable) {
        if (state == State.CLOSING) {
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
        if (!(socket instanceof WebSocketImpl impl) || impl.getReadyState() != ReadyState.OPEN) {
            return false;
        }
        // Queued without waking the selector: flush() does that once for the tick's frames.
        impl.outQueue.add(binaryFrame(frame));
        return true;
    }

    /**
     * Hands the frames {@link #send} queued this tick to the selector thread: write interest plus one
     * wake-up, instead of the library's wake-up per frame (a syscall each, and a selector thread
     * scheduled and descheduled per frame). Wake-ups of one tick coalesce in the JDK's selector
     * until it runs. Also repairs a write interest lost to the library's race between emptying the
     * queue and clearing the interest: the room calls this every tick the queue is not empty.
     */
    @Override
    public void flush() {
        if (!(socket instanceof WebSocketImpl impl) || impl.outQueue.isEmpty()) {
            return;
        }
        SelectionKey key = impl.getSelectionKey();
        try {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            key.selector().wakeup();
        } catch (CancelledKeyException closed) {
            // Closed meanwhile: the library drops its queue.
        }
    }

    /** One unmasked, final binary frame (RFC 6455 section 5.2): a server never masks. */
    static ByteBuffer binaryFrame(byte[] payload) {
        int n = payload.length;
        int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + n);
        frame.put((byte) 0x82);
        if (n <= 125) {
            frame.put((byte) n);
        } else if (n <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) n);
        } else {
            frame.put((byte) 127).putLong(n);
        }
        return frame.put(payload).flip();
    }

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
            if (state == State.CLOSING) {
                return;
            }
            state = State.CLOSING;
            closeRequestedAt = System.nanoTime();
            cutAfterNanos = reason == ErrorReason.ERROR_REASON_RATE_LIMITED
                    ? CLOSE_DELAY_NANOS
                    : CLOSE_DELAY_NANOS + CLOSE_GRACE_NANOS;
            closeCode = ServerMessages.closeCode(reason);
            closeMessage = truncate(message);
        }
        closeScheduled.run();
        metrics.connectionRefused(reason.name().replace("ERROR_REASON_", "").toLowerCase(Locale.ROOT));
        try {
            if (reason != ErrorReason.ERROR_REASON_SLOW_CONSUMER) {
                socket.send(ServerMessages.error(reason, message).toByteArray());
            }
            if (reason == ErrorReason.ERROR_REASON_SLOW_CONSUMER || reason == ErrorReason.ERROR_REASON_RATE_LIMITED) {
                closeFrameSent = true;
                socket.close(closeCode, closeMessage);
            }
        } catch (WebsocketNotConnectedException e) {
            // Already gone: nothing to tell.
        }
    }

    /** Sends the delayed close frame of a graceful close once it is due; called by the sweep. */
    void closeIfDue(long now) {
        if (now - closeRequestedAt >= CLOSE_DELAY_NANOS) {
            sendPendingClose();
        }
    }

    /** Sends the close frame of a graceful close now (the server is stopping: no time to wait). */
    synchronized void sendPendingClose() {
        if (state == State.CLOSING && !closeFrameSent) {
            closeFrameSent = true;
            socket.close(closeCode, closeMessage);
        }
    }

    /** Outbound bytes the library has not written to the socket yet. */
    long queuedBytes() {
        if (!(socket instanceof WebSocketImpl impl)) {
            return 0;
        }
        long total = 0;
        for (ByteBuffer b : impl.outQueue) {
            total += b.remaining();
        }
        return total;
    }

    private static String truncate(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return message;
        }
        return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.US_ASCII).replaceAll("[^ -~]", "?");
    }
}
