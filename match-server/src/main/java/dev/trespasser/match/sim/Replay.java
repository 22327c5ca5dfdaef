package dev.trespasser.match.sim;

/**
 * One round of a match as data: header, how the round started ({@code start}: null for the
 * match's first round, which starts from construction; otherwise what the restart carried over),
 * the accepted commands in the order they were given, and the tick the recording ends at. With
 * the map it reproduces the round exactly ({@link ReplayRunner}); the recorded score and state
 * hash let anyone check that it did.
 */
public record Replay(
        ReplayHeader header,
        RoundStart start,
        RecordedCommands commands,
        int ticks,
        int redKills,
        int blueKills,
        long finalHash) {

    public Replay {
        if (header == null || commands == null) {
            throw new IllegalArgumentException("header and commands are required");
        }
        int firstTick = start == null ? 0 : start.tick();
        if (ticks < firstTick) {
            throw new IllegalArgumentException("the replay ends before its round starts");
        }
        if (commands.baseTick() != firstTick
                || commands.slots() != header.roster().size()
                || (start != null && start.seats().size() != header.roster().size())) {
            throw new IllegalArgumentException("commands and start do not belong to this round's roster");
        }
    }

    /** The tick the round's recording starts at. */
    public int firstTick() {
        return start == null ? 0 : start.tick();
    }
}
