package dev.trespasser.game.wire;

import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.SnapshotAck;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's acknowledgement of its newest snapshot, waiting to ride on its next input
 * ({@code InputCommand.ack_snapshot_tick}) instead of costing a frame of its own. A client that
 * sends no input before the next snapshot still acks every snapshot: the waiting ack then goes
 * alone as a {@code SnapshotAck}, so the server's delta baseline never falls more than one
 * snapshot behind. Safe between the thread that receives snapshots and the one that sends inputs.
 */
public final class PendingAck {

    private static final long NONE = -1;

    private final AtomicLong tick = new AtomicLong(NONE);

    /**
     * A snapshot was applied. Returns the ack that was still waiting, which the caller must send
     * alone now, or null.
     */
    public ClientMessage snapshotApplied(int snapshotTick) {
        long waiting = tick.getAndSet(Integer.toUnsignedLong(snapshotTick));
        return waiting == NONE
                ? null
                : ClientMessage.newBuilder()
                        .setAck(SnapshotAck.newBuilder().setSnapshotTick((int) waiting))
                        .build();
    }

    /** The input to send, carrying the waiting ack if there is one. */
    public ClientMessage withInput(InputCommand input) {
        long waiting = tick.getAndSet(NONE);
        InputCommand carried = waiting == NONE
                ? input
                : input.toBuilder().setAckSnapshotTick((int) waiting).build();
        return ClientMessage.newBuilder().setInput(carried).build();
    }
}
