package dev.trespasser.match.sim;

import java.util.List;

/**
 * A whole match as data: header, the accepted commands in the order they were given, and how
 * many ticks ran. With the map it reproduces the match exactly ({@link ReplayRunner}); the
 * recorded final score and state hash let anyone check that it did.
 */
public record Replay(ReplayHeader header, List<ReplayCommand> commands, int ticks,
                     int redKills, int blueKills, long finalHash) {

    public Replay {
        if (header == null) {
            throw new IllegalArgumentException("header is required");
        }
        commands = List.copyOf(commands);
        if (ticks < 0) {
            throw new IllegalArgumentException("ticks must not be negative");
        }
        int previous = 0;
        for (ReplayCommand c : commands) {
            if (c.tick() < previous || c.tick() > ticks) {
                throw new IllegalArgumentException("commands must be in tick order within the replay");
            }
            previous = c.tick();
        }
    }
}
