package dev.trespasser.match.sim;

import java.util.Arrays;

/**
 * Records a round's accepted commands as they arrive, in the compact form described in
 * {@link RecordedCommands}: about two bytes per input, no object per command. The bytes go into
 * fixed-size chunks, so growing never copies what is already recorded and the slack is at most
 * one chunk.
 */
final class CommandRecorder {

    static final int CHUNK_BYTES = 16 * 1024;
    /**
     * Input bytes one slot may add to a round's recording. A player aiming with a mouse every
     * tick for 10 minutes needs ~110 KB; a client sending the costliest inputs the edge lets
     * through would need ~1 MB, so the cap is what bounds a round's replay (8 slots: 2 MiB).
     */
    static final int SLOT_INPUT_BYTES = 256 * 1024;

    private final CommandStream.SlotState slots;
    private final int baseTick;
    private byte[][] chunks = new byte[8][];
    private int chunkCount;
    private int position = CHUNK_BYTES;
    private long size;
    private int count;
    private int lastTick;
    private final int[] slotInputBytes;

    /** {@code baseTick}: the tick the round started at; commands are stamped at or after it. */
    CommandRecorder(int slotCount, int baseTick) {
        this.slots = new CommandStream.SlotState(slotCount);
        this.baseTick = baseTick;
        this.lastTick = baseTick;
        this.slotInputBytes = new int[slotCount];
    }

    /** The slot used up its share of the recording: its inputs are refused for the rest of the round. */
    boolean full(int slot) {
        return slotInputBytes[slot] >= SLOT_INPUT_BYTES;
    }

    void connect(int tick, int slot) {
        plain(tick, CommandStream.OP_CONNECT, slot);
    }

    void disconnect(int tick, int slot) {
        plain(tick, CommandStream.OP_DISCONNECT, slot);
    }

    void vote(int tick, int slot) {
        plain(tick, CommandStream.OP_VOTE, slot);
    }

    void input(int tick, int slot, PlayerInput in) {
        advanceTo(tick);
        long before = size;
        int flags = 0;
        int buttonsAndSpeed = in.buttons() | in.speed().ordinal() << 6;
        int sequenceJump = in.sequence() - slots.sequence[slot] - 1;
        int aimDelta = (short) (in.aim() - slots.aim[slot]);
        if (buttonsAndSpeed != slots.buttonsAndSpeed[slot]) {
            flags |= CommandStream.INPUT_BUTTONS;
        }
        if (aimDelta != 0) {
            flags |= CommandStream.INPUT_AIM;
        }
        if (sequenceJump != 0) {
            flags |= CommandStream.INPUT_SEQUENCE;
        }
        if (in.throwDistance() != slots.throwDistance[slot]) {
            flags |= CommandStream.INPUT_THROW;
        }
        put(flags | slot);
        if ((flags & CommandStream.INPUT_BUTTONS) != 0) {
            put(buttonsAndSpeed);
        }
        if ((flags & CommandStream.INPUT_AIM) != 0) {
            putVarint(CommandStream.zigzag(aimDelta));
        }
        if ((flags & CommandStream.INPUT_SEQUENCE) != 0) {
            putVarint(CommandStream.zigzag(sequenceJump));
        }
        if ((flags & CommandStream.INPUT_THROW) != 0) {
            putVarint(in.throwDistance());
        }
        slots.remember(slot, in.sequence(), buttonsAndSpeed, in.aim(), in.throwDistance());
        slotInputBytes[slot] += (int) (size - before);
        count++;
    }

    /** What was recorded so far; later commands do not change it. */
    RecordedCommands recorded() {
        return new RecordedCommands(Arrays.copyOf(chunks, chunkCount), size, count, slots.count(), baseTick);
    }

    /** Bytes of heap the recording holds (the chunks), for the memory budget. */
    long retainedBytes() {
        return (long) chunkCount * CHUNK_BYTES;
    }

    private void plain(int tick, int op, int slot) {
        advanceTo(tick);
        put(CommandStream.NOT_INPUT | op << 4 | slot);
        count++;
    }

    private void advanceTo(int tick) {
        int delta = tick - lastTick;
        if (delta < 0) {
            throw new IllegalStateException("commands must be recorded in tick order");
        }
        if (delta == 0) {
            return;
        }
        if (delta <= CommandStream.SHORT_ADVANCE) {
            put(CommandStream.NOT_INPUT | CommandStream.OP_ADVANCE << 4 | (delta - 1));
        } else {
            put(CommandStream.NOT_INPUT | CommandStream.OP_ADVANCE << 4 | 0xF);
            putVarint(delta - CommandStream.SHORT_ADVANCE - 1);
        }
        lastTick = tick;
    }

    private void putVarint(int value) {
        while ((value & ~0x7F) != 0) {
            put((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        put(value);
    }

    private void put(int b) {
        if (position == CHUNK_BYTES) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunks.length * 2);
            }
            chunks[chunkCount++] = new byte[CHUNK_BYTES];
            position = 0;
        }
        chunks[chunkCount - 1][position++] = (byte) b;
        size++;
    }
}
