package dev.trespasser.match.room;

import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.proto.game.v1.ErrorReason;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the edge's threads hand the tick thread: joins, client commands and leaves, in arrival
 * order. Each is stamped when it arrives and taken by the first tick due after that, so a tick
 * run late in a wake-up of several ticks sees what it would have seen on time.
 */
final class Inbox {

    sealed interface Command {
        ClientLink link();

        /** {@link System#nanoTime} when the command arrived. */
        long arrivedNanos();

        record Join(int slot, ClientLink link, long arrivedNanos) implements Command {
        }

        record Leave(int slot, ClientLink link, long arrivedNanos) implements Command {
        }

        record Receive(int slot, ClientLink link, ClientCommand command, long arrivedNanos) implements Command {
        }
    }

    private final ConcurrentLinkedQueue<Command> queue = new ConcurrentLinkedQueue<>();

    void add(Command command) {
        queue.add(command);
    }

    /** The next command that arrived by {@code dueNanos}, or null (tick thread only: one consumer). */
    Command pollArrivedBy(long dueNanos) {
        Command next = queue.peek();
        if (next == null || next.arrivedNanos() - dueNanos > 0) {
            return null;
        }
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
