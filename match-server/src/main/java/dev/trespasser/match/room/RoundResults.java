package dev.trespasser.match.room;

import dev.trespasser.match.protocol.ServerMessages;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.MatchEvent;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.Player;
import dev.trespasser.match.sim.ReplayCodec;
import dev.trespasser.match.sim.Team;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.match.sim.Winner;
import dev.trespasser.proto.MatchLifetime;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;

/**
 * Each round's result: the scores as the scoreboard showed them, the round's length, and the
 * {@link MatchResult} and replay the lifecycle publishes. Tick thread only.
 */
final class RoundResults {

    private final MatchAllocation allocation;
    private final Match match;
    private final int tickRate;
    /** Rounds the allocation allows: votes on the last one's scoreboard do not restart the match. */
    private final int maxRounds;

    private final int[] endKills;
    private final int[] endDeaths;
    private final boolean[] endDropped;
    private int round = 1;
    private int roundStartTick;
    private int roundEndTick;
    private int endRed;
    private int endBlue;
    private Winner endWinner = Winner.NONE;

    RoundResults(MatchAllocation allocation, Match match) {
        this.allocation = allocation;
        this.match = match;
        this.tickRate = match.settings().timing().tickRateHz();
        this.maxRounds = MatchLifetime.maxRounds(allocation.getRules());
        int n = match.playerCount();
        this.endKills = new int[n];
        this.endDeaths = new int[n];
        this.endDropped = new boolean[n];
    }

    int round() {
        return round;
    }

    /** Join tokens and assignments outlive maxRounds rounds, no more (MatchLifetime). */
    boolean restartVotesCount() {
        return round < maxRounds;
    }

    /** Scores as the scoreboard shows them: a restart zeroes them in the tick that ends it. */
    void captureScores() {
        for (int s = 0; s < endKills.length; s++) {
            Player p = match.player(s);
            endKills[s] = p.kills();
            endDeaths[s] = p.deaths();
            endDropped[s] = p.dropped();
        }
        endRed = match.kills(Team.RED);
        endBlue = match.kills(Team.BLUE);
        endWinner = match.winner();
    }

    /** Notes when a round starts and stops counting (after {@link #end}: a restart's warmup begins the next). */
    void track(TickResult r) {
        for (MatchEvent.PhaseChange change : r.phaseChanges()) {
            if (change.phase() == Phase.WARMUP) {
                roundStartTick = r.tick();
            } else if (change.phase() == Phase.ENDING) {
                roundEndTick = r.tick();
            }
        }
    }

    /** What every player is told when the round ends. */
    ServerMessage matchEnd(boolean abandoned, boolean restarting) {
        return ServerMessages.matchEnd(
                abandoned ? Winner.NONE : endWinner,
                restarting,
                abandoned,
                abandoned ? 0 : endRed,
                abandoned ? 0 : endBlue);
    }

    /** The round that just ended, for the lifecycle to publish; the next round counts from here. */
    RoundResult end(boolean abandoned, boolean restarting) {
        MatchResult.Builder result = MatchResult.newBuilder()
                .setMatchId(allocation.getMatchId())
                .setMode(allocation.getMode())
                .setMapName(match.map().name())
                .setRound(round)
                .setEndedAtEpochSeconds(System.currentTimeMillis() / 1000);
        if (abandoned) {
            result.setOutcome(Outcome.OUTCOME_ABANDONED);
            for (int s = 0; s < endKills.length; s++) {
                Player p = match.player(s);
                result.addPlayers(PlayerResult.newBuilder()
                        .setPlayerId(p.playerId())
                        .setTeam(resultTeam(p.team()))
                        .setPresentAtEnd(p.connected()));
            }
        } else {
            result.setOutcome(
                    switch (endWinner) {
                        case RED -> Outcome.OUTCOME_RED_WON;
                        case BLUE -> Outcome.OUTCOME_BLUE_WON;
                        case DRAW, NONE -> Outcome.OUTCOME_DRAW;
                    });
            result.setRedKills(endRed)
                    .setBlueKills(endBlue)
                    .setDurationSeconds(Math.max(0, roundEndTick - roundStartTick) / tickRate);
            for (int s = 0; s < endKills.length; s++) {
                Player p = match.player(s);
                result.addPlayers(PlayerResult.newBuilder()
                        .setPlayerId(p.playerId())
                        .setTeam(resultTeam(p.team()))
                        .setKills(endKills[s])
                        .setDeaths(endDeaths[s])
                        .setPresentAtEnd(!endDropped[s]));
            }
        }
        round++;
        return new RoundResult(
                result.build(),
                ReplayCodec.encode(restarting ? match.restartedRoundReplay() : match.replay()),
                restarting);
    }

    /** The scores of the last round ended, for the log. */
    String score() {
        return endRed + "-" + endBlue;
    }

    private static ResultTeam resultTeam(Team team) {
        return team == Team.RED ? ResultTeam.RESULT_TEAM_RED : ResultTeam.RESULT_TEAM_BLUE;
    }
}
