package dev.trespasser.match.room;

import dev.trespasser.proto.results.v1.MatchResult;

/**
 * One round's end, for the lifecycle to publish: the result (replay_ref and game_server left
 * empty for the publisher), the replay bytes ({@code ReplayCodec}) of the match so far, and
 * whether the room goes on with a new round.
 */
public record RoundResult(MatchResult matchResult, byte[] replay, boolean restarting) {

    public RoundResult {
        if (matchResult == null || replay == null) {
            throw new IllegalArgumentException("result and replay are required");
        }
    }
}
