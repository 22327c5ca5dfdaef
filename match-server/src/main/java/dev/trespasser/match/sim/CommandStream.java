package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;

/**
 * The byte layout of recorded commands, shared by {@link CommandRecorder} (writing) and
 * {@link RecordedCommands} (reading). See {@link RecordedCommands} for the format.
 */
final class CommandStream {

    static final int NOT_INPUT = 0x80;
    static final int INPUT_BUTTONS = 0x08;
    static final int INPUT_AIM = 0x10;
    static final int INPUT_SEQUENCE = 0x20;
    static final int INPUT_THROW = 0x40;
    static final int OP_ADVANCE = 0;
    static final int OP_CONNECT = 1;
    static final int OP_DISCONNECT = 2;
    static final int OP_VOTE = 3;
    /** Tick advances of 1..15 fit in the op byte; longer ones add a varint. */
    static final int SHORT_ADVANCE = 15;
    /** Slots fit in 3 bits of an input's first byte: teams hold at most 4 players each. */
    static final int MAX_SLOTS = 8;

    private CommandStream() {}

    static int zigzag(int value) {
        return (value << 1) ^ (value >> 31);
    }

    static int unzigzag(int value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** Each slot's last input, which the next one is coded against; the same on both sides. */
    static final class SlotState {
        final int[] sequence;
        final int[] buttonsAndSpeed;
        final int[] aim;
        final int[] throwDistance;

        SlotState(int slots) {
            if (slots < 0 || slots > MAX_SLOTS) {
                throw new IllegalArgumentException("a replay holds 0-" + MAX_SLOTS + " slots, not " + slots);
            }
            sequence = new int[slots];
            buttonsAndSpeed = new int[slots];
            aim = new int[slots];
            throwDistance = new int[slots];
            java.util.Arrays.fill(buttonsAndSpeed, Speed.WALK.ordinal() << 6);
        }

        int count() {
            return sequence.length;
        }

        void remember(int slot, int seq, int buttonsSpeed, int aimValue, int throwValue) {
            sequence[slot] = seq;
            buttonsAndSpeed[slot] = buttonsSpeed;
            aim[slot] = aimValue;
            throwDistance[slot] = throwValue;
        }
    }
}
