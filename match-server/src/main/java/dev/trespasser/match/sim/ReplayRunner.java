package dev.trespasser.match.sim;

import dev.trespasser.game.world.GameMap;

/**
 * Plays a replay back on a fresh match and reports what it produced, to compare with what the
 * replay recorded.
 */
public final class ReplayRunner {

    /** What a replay produced when run: the final score and state hash, and whether they match. */
    public record Result(
            int redKills, int blueKills, long finalHash, boolean matchesRecording, Outcome outcome, Winner winner) {}

    private ReplayRunner() {}

    /** The map must be the one the replay was recorded on (checked by fingerprint). */
    public static Result run(Replay replay, GameMap map) {
        ReplayHeader header = replay.header();
        if (!map.name().equals(header.mapName()) || map.fingerprint() != header.mapFingerprint()) {
            throw new IllegalArgumentException(
                    "replay was recorded on map " + header.mapName() + " with a different layout than " + map.name());
        }
        Match match = new Match(map, header.settings(), header.roster(), header.seed());
        if (replay.start() != null) {
            match.resumeRestartedRound(replay.start());
        }
        for (ReplayCommand c : replay.commands()) {
            while (match.currentTick() < c.tick()) {
                match.tick();
            }
            switch (c.kind()) {
                case CONNECT -> match.connect(c.slot());
                case DISCONNECT -> match.disconnect(c.slot());
                case INPUT -> match.submitInput(c.slot(), c.input());
                case VOTE -> match.vote(c.slot());
            }
        }
        while (match.currentTick() < replay.ticks()) {
            match.tick();
        }
        int red = match.kills(Team.RED);
        int blue = match.kills(Team.BLUE);
        long hash = match.stateHash();
        boolean same = red == replay.redKills() && blue == replay.blueKills() && hash == replay.finalHash();
        return new Result(red, blue, hash, same, match.outcome(), match.winner());
    }
}
