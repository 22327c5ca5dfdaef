package dev.trespasser.match.protocol;

import dev.trespasser.match.sim.PlayerInput;

/** A validated client frame: what the decoder turns a {@code ClientMessage} into. */
public sealed interface ClientCommand {

    /**
     * Whether the client's next frame of this kind makes this one worthless, so the edge may drop
     * it when the client exceeds its frame rate. A command a client sends once must answer false.
     */
    boolean supersededByNext();

    record Join(String token, int protocolVersion) implements ClientCommand {
        @Override
        public boolean supersededByNext() {
            return false;
        }
    }

    /**
     * The simulation applies inputs by sequence; the client's next input carries its intent on,
     * and its next ack (riding on an input or alone) names a newer baseline.
     */
    record Input(PlayerInput input, Ack ack) implements ClientCommand {
        /** An input that acknowledges no snapshot. */
        public Input(PlayerInput input) {
            this(input, null);
        }

        @Override
        public boolean supersededByNext() {
            return true;
        }
    }

    /** A later ack names a newer baseline. */
    record Ack(int snapshotTick) implements ClientCommand {
        @Override
        public boolean supersededByNext() {
            return true;
        }
    }

    /** Sent once per scoreboard: dropping it would lose the player's choice. */
    record Vote() implements ClientCommand {
        @Override
        public boolean supersededByNext() {
            return false;
        }
    }
}
