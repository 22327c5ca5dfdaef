package dev.trespasser.game.wire;

import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.InputCommand;

/**
 * Decides when a client sends an {@code InputCommand}: the server holds a player's last input
 * until the next one arrives (it keeps moving, aiming and firing with it every tick), so a client
 * decides every frame but sends only when the input changed, or when {@link #FLOOR_INTERVAL_NANOS}
 * passed since the last one it sent. "Changed" means buttons, speed, the quantised aim or the
 * throw distance differ from the last input sent. Sequence numbers stay strictly increasing for
 * the whole match, reconnects included ({@link #welcomed}). The newest applied snapshot's ack
 * rides on the next input sent; when no input goes out before the next snapshot, it goes alone as
 * a {@code SnapshotAck} ({@link PendingAck}), so acks keep flowing while inputs pause.
 *
 * <p>Pure: it is told the time and reads no clock. Safe between the thread that applies
 * snapshots and the one that sends inputs. The web client follows the same rule
 * (game-client/README.md, "Input pacing").
 */
public final class InputPacer {

    /**
     * An unchanged input still goes out this often. The server holds the last input it applied,
     * so it needs none of these to keep the player moving; but it may drop an input (the edge's
     * frame rate limit, a full input queue), and a dropped change would otherwise leave it
     * holding a stale input until the player changes something. Repeating the current input
     * bounds that to 100 ms, and keeps round-trip samples and {@code last_input_sequence}
     * coming, at 10 frames/s instead of the 60 of sending every tick.
     */
    public static final long FLOOR_INTERVAL_NANOS = 100_000_000L;

    private int sequence;
    private boolean sentOnThisConnection;
    private long lastSentNanos;
    private int lastButtons;
    private int lastSpeed;
    private int lastAim;
    private int lastThrowDistance;
    private PendingAck ack = new PendingAck();
    private long newestAppliedTick = -1;

    /**
     * A (re)join was welcomed: sequences continue above what the server applied
     * ({@code Welcome.last_input_sequence}), and the next input goes out whatever it holds,
     * because the server forgot the held input while the player was away.
     */
    public synchronized void welcomed(int lastInputSequence) {
        if (Integer.compareUnsigned(lastInputSequence, sequence) > 0) {
            sequence = lastInputSequence;
        }
        sentOnThisConnection = false;
        ack = new PendingAck();
        newestAppliedTick = -1;
    }

    /**
     * This frame's decision. Returns the message to send now (the input numbered and carrying
     * the waiting ack), or null when the server already holds this input and the floor interval
     * has not passed. {@code input}'s sequence and ack fields are ignored.
     */
    public synchronized ClientMessage offer(InputCommand input, long nowNanos) {
        boolean changed = !sentOnThisConnection
                || input.getButtons() != lastButtons
                || input.getSpeedValue() != lastSpeed
                || input.getAim() != lastAim
                || input.getThrowDistance() != lastThrowDistance;
        if (!changed && nowNanos - lastSentNanos < FLOOR_INTERVAL_NANOS) {
            return null;
        }
        sequence++;
        sentOnThisConnection = true;
        lastSentNanos = nowNanos;
        lastButtons = input.getButtons();
        lastSpeed = input.getSpeedValue();
        lastAim = input.getAim();
        lastThrowDistance = input.getThrowDistance();
        return ack.withInput(
                input.toBuilder().setSequence(sequence).clearAckSnapshotTick().build());
    }

    /**
     * A snapshot was applied. Returns the previous snapshot's ack when no input carried it, which
     * the caller must send alone now, or null. A tick not newer than one already applied on this
     * connection acknowledges nothing new and is ignored.
     */
    public synchronized ClientMessage snapshotApplied(int snapshotTick) {
        long tick = Integer.toUnsignedLong(snapshotTick);
        if (tick <= newestAppliedTick) {
            return null;
        }
        newestAppliedTick = tick;
        return ack.snapshotApplied(snapshotTick);
    }

    /** The sequence of the last input sent (or continued from after a Welcome); 0 before any. */
    public synchronized int lastSequence() {
        return sequence;
    }
}
