package dev.trespasser.match.protocol;

import dev.trespasser.match.sim.PlayerInput;

/** A validated client frame: what the decoder turns a {@code ClientMessage} into. */
public sealed interface ClientCommand {

    record Join(String token, int protocolVersion) implements ClientCommand {
    }

    record Input(PlayerInput input) implements ClientCommand {
    }

    record Ack(int snapshotTick) implements ClientCommand {
    }

    record Vote() implements ClientCommand {
    }
}
