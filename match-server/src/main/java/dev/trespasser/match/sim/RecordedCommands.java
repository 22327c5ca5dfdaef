package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A round's accepted commands in the compact form they were recorded in, immutable. Each
 * command is decoded only when iterated; nothing per command stays on the heap.
 *
 * <p>Format: a sequence of commands. A command's first byte {@code b}:
 * <ul>
 *   <li>{@code b < 0x80}: an input of slot {@code b & 7}, coded against the same slot's previous
 *       input (initially sequence 0, no buttons, walk, aim 0, throw 0). Flags say what follows, in
 *       this order: {@code 0x08} one byte of buttons (bits 0-5) and speed (bits 6-7);
 *       {@code 0x10} the aim change as a zigzag varint (signed 16-bit difference);
 *       {@code 0x20} the sequence jump beyond +1 as a zigzag varint (32-bit);
 *       {@code 0x40} the throw distance as a varint. An input that repeats the last one but for
 *       the next sequence is one byte.</li>
 *   <li>{@code 0x80 | op << 4 | low}: op 0 advances the tick by {@code low + 1} (1-15; low 15
 *       adds a varint: {@code 16 + varint}), and is not a command; op 1 connect, 2 disconnect,
 *       3 vote of slot {@code low}.</li>
 * </ul>
 * Varints are little-endian base 128, at most 5 bytes. Ticks start at the round's first tick.
 */
public final class RecordedCommands implements Iterable<ReplayCommand> {

    private final byte[][] chunks;
    private final long size;
    private final int count;
    private final int slots;
    private final int baseTick;

    RecordedCommands(byte[][] chunks, long size, int count, int slots, int baseTick) {
        this.chunks = chunks;
        this.size = size;
        this.count = count;
        this.slots = slots;
        this.baseTick = baseTick;
    }

    /**
     * Reads commands from bytes that came from outside (a stored replay): the whole stream is
     * checked here, so iterating it later cannot fail. Anything malformed is an
     * {@link IllegalArgumentException} saying what.
     */
    public static RecordedCommands parse(byte[] bytes, int count, int slots, int baseTick, int lastTick) {
        if (count < 0 || count > bytes.length) {
            throw new IllegalArgumentException(
                    "implausible command count " + count + " for " + bytes.length + " bytes");
        }
        RecordedCommands commands =
                new RecordedCommands(new byte[][] {bytes.clone()}, bytes.length, count, slots, baseTick);
        Reader reader = commands.new Reader();
        int read = 0;
        try {
            while (reader.hasNext()) {
                ReplayCommand c = reader.next();
                if (c.tick() > lastTick) {
                    throw new IllegalArgumentException(
                            "command at tick " + c.tick() + " after the replay's last tick " + lastTick);
                }
                read++;
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tick numbers overflow", e);
        }
        if (read != count) {
            throw new IllegalArgumentException("replay says " + count + " commands but holds " + read);
        }
        return commands;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Size of the recorded form in bytes. */
    public long byteSize() {
        return size;
    }

    int slots() {
        return slots;
    }

    int baseTick() {
        return baseTick;
    }

    /** Decoded one at a time, in the order they were given. */
    @Override
    public Iterator<ReplayCommand> iterator() {
        return new Reader();
    }

    /** All of them as objects: for tests and tools, never for a live match. */
    public List<ReplayCommand> toList() {
        List<ReplayCommand> list = new ArrayList<>(count);
        forEach(list::add);
        return list;
    }

    void writeTo(DataOutput out) throws IOException {
        long left = size;
        for (byte[] chunk : chunks) {
            int n = (int) Math.min(left, chunk.length);
            out.write(chunk, 0, n);
            left -= n;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecordedCommands other)
                || other.size != size
                || other.count != count
                || other.slots != slots
                || other.baseTick != baseTick) {
            return false;
        }
        for (long i = 0; i < size; i++) {
            if (byteAt(i) != other.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(size) * 31 + count;
        for (long i = 0; i < size; i++) {
            h = h * 31 + byteAt(i);
        }
        return h;
    }

    @Override
    public String toString() {
        return "RecordedCommands[" + count + " commands, " + size + " bytes]";
    }

    private byte byteAt(long index) {
        if (chunks.length == 1) {
            return chunks[0][(int) index];
        }
        return chunks[(int) (index / CommandRecorder.CHUNK_BYTES)][(int) (index % CommandRecorder.CHUNK_BYTES)];
    }

    /** Decodes the stream; every malformed byte is an IllegalArgumentException (only parse meets them). */
    private final class Reader implements Iterator<ReplayCommand> {
        private final CommandStream.SlotState state = new CommandStream.SlotState(slots);
        private final ReplayCommand.Kind[] kinds = ReplayCommand.Kind.values();
        private final Speed[] speeds = Speed.values();
        private long at;
        private int tick = baseTick;
        private ReplayCommand next;

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = read();
            }
            return next != null;
        }

        @Override
        public ReplayCommand next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ReplayCommand c = next;
            next = null;
            return c;
        }

        private ReplayCommand read() {
            while (at < size) {
                int b = take();
                if ((b & CommandStream.NOT_INPUT) == 0) {
                    return input(b);
                }
                int op = (b >>> 4) & 0x7;
                int low = b & 0xF;
                if (op == CommandStream.OP_ADVANCE) {
                    int delta = low < CommandStream.SHORT_ADVANCE
                            ? low + 1
                            : Math.addExact(CommandStream.SHORT_ADVANCE + 1, varint());
                    tick = Math.addExact(tick, delta);
                    continue;
                }
                ReplayCommand.Kind kind = switch (op) {
                    case CommandStream.OP_CONNECT -> ReplayCommand.Kind.CONNECT;
                    case CommandStream.OP_DISCONNECT -> ReplayCommand.Kind.DISCONNECT;
                    case CommandStream.OP_VOTE -> ReplayCommand.Kind.VOTE;
                    default -> throw new IllegalArgumentException("unknown command op " + op + " at byte " + (at - 1));
                };
                return new ReplayCommand(tick, kind, slot(low), null);
            }
            return null;
        }

        private ReplayCommand input(int b) {
            int slot = slot(b & 0x7);
            int buttonsAndSpeed = state.buttonsAndSpeed[slot];
            int aim = state.aim[slot];
            int sequence = state.sequence[slot] + 1;
            int throwDistance = state.throwDistance[slot];
            if ((b & CommandStream.INPUT_BUTTONS) != 0) {
                buttonsAndSpeed = take();
                if ((buttonsAndSpeed >>> 6) >= speeds.length) {
                    throw new IllegalArgumentException(
                            "unknown speed " + (buttonsAndSpeed >>> 6) + " at byte " + (at - 1));
                }
            }
            if ((b & CommandStream.INPUT_AIM) != 0) {
                int zig = varint();
                if (zig > 0xFFFF) {
                    throw new IllegalArgumentException("aim change out of range at byte " + at);
                }
                aim = (aim + CommandStream.unzigzag(zig)) & 0xFFFF;
            }
            if ((b & CommandStream.INPUT_SEQUENCE) != 0) {
                sequence += CommandStream.unzigzag(varint());
            }
            if ((b & CommandStream.INPUT_THROW) != 0) {
                throwDistance = varint();
                if (throwDistance < 0) {
                    throw new IllegalArgumentException("negative throw distance at byte " + at);
                }
            }
            state.remember(slot, sequence, buttonsAndSpeed, aim, throwDistance);
            PlayerInput input = new PlayerInput(
                    sequence,
                    buttonsAndSpeed & PlayerInput.ALL_BUTTONS,
                    speeds[buttonsAndSpeed >>> 6],
                    aim,
                    throwDistance);
            return new ReplayCommand(tick, ReplayCommand.Kind.INPUT, slot, input);
        }

        private int slot(int slot) {
            if (slot >= slots) {
                throw new IllegalArgumentException(
                        "slot " + slot + " outside the roster of " + slots + " at byte " + (at - 1));
            }
            return slot;
        }

        private int varint() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = take();
                if (shift == 28 && (b & 0xF0) != 0) {
                    throw new IllegalArgumentException("varint wider than 32 bits at byte " + (at - 1));
                }
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 5 bytes at byte " + at);
        }

        private int take() {
            if (at >= size) {
                throw new IllegalArgumentException("commands are truncated at byte " + at);
            }
            return byteAt(at++) & 0xFF;
        }
    }
}
