package dev.trespasser.match.room;

import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the edge's threads hand the tick thread: joins, client commands and leaves, in arrival
 * order, drained at the start of each tick.
 */
final class Inbox {

    sealed interface Command {
        ClientLink link();

        record Join(int slot, ClientLink link, String displayName) implements Command {}

        record Leave(int slot, ClientLink link) implements Command {}

        record Receive(int slot, ClientLink link, ClientCommand command) implements Command {}
    }

    private final ConcurrentLinkedQueue<Command> queue = new ConcurrentLinkedQueue<>();

    void add(Command command) {
        queue.add(command);
    }

    /** The next command, or null when none is waiting (tick thread only). */
    Command poll() {
        return queue.poll();
    }

    /** Joins that raced with the end of the room are refused rather than left waiting. */
    void refuseJoins(ErrorReason reason, String message) {
        Command c;
        while ((c = queue.poll()) != null) {
            if (c instanceof Command.Join j) {
                j.link().close(reason, message);
            }
        }
    }
}
