package dev.trespasser.match.sim;

/**
 * One command given to a match, stamped with the number of ticks the match had completed when
 * it was given (it takes effect in the next tick). {@code input} is set only for {@link Kind#INPUT}.
 */
public record ReplayCommand(int tick, Kind kind, int slot, PlayerInput input) {

    public enum Kind {
        CONNECT,
        DISCONNECT,
        INPUT,
        VOTE
    }

    public ReplayCommand {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if ((kind == Kind.INPUT) != (input != null)) {
            throw new IllegalArgumentException("an input command carries an input, the others do not");
        }
        if (tick < 0 || slot < 0) {
            throw new IllegalArgumentException("tick and slot must not be negative");
        }
    }
}
