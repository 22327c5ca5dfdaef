package dev.trespasser.match.protocol;

import dev.trespasser.game.wire.Wire;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.Player;
import dev.trespasser.match.sim.Roster;
import dev.trespasser.match.sim.Team;
import dev.trespasser.match.sim.Winner;
import dev.trespasser.proto.game.v1.ErrorNotice;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.MapGeometry;
import dev.trespasser.proto.game.v1.MatchEnd;
import dev.trespasser.proto.game.v1.MatchSettings;
import dev.trespasser.proto.game.v1.PlayerScore;
import dev.trespasser.proto.game.v1.RosterEntry;
import dev.trespasser.proto.game.v1.Scoreboard;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Welcome;

/** The server's messages other than snapshots and events, built from the match. */
public final class ServerMessages {

    /** WebSocket close codes for refusals are this plus the {@link ErrorReason} number. */
    public static final int CLOSE_CODE_BASE = 4000;

    private ServerMessages() {}

    public static int closeCode(ErrorReason reason) {
        return CLOSE_CODE_BASE + reason.getNumber();
    }

    /**
     * The first message of a seated connection. {@code map} is {@code MapGeometryCodec.encode} of
     * the match's map, built once per room: the map never changes while the room lives. The roster
     * carries every slot's name as known now; later joins follow as connection events.
     */
    public static ServerMessage welcome(
            Match match, RosterNames names, int slot, String matchId, int snapshotRateHz, MapGeometry map) {
        Player me = match.player(slot);
        dev.trespasser.match.sim.MatchSettings settings = match.settings();
        Welcome.Builder w = Welcome.newBuilder()
                .setPlayerId(me.playerId())
                .setSlot(slot)
                .setTeam(WireEnums.team(me.team()))
                .setMapName(match.map().name())
                .setSettings(MatchSettings.newBuilder()
                        .setKillLimit(settings.flow().killLimit())
                        .setTimeLimitSeconds(settings.flow().timeLimitSeconds())
                        .setFriendlyFire(settings.flow().friendlyFire()))
                .setTickRateHz(settings.timing().tickRateHz())
                .setSnapshotRateHz(snapshotRateHz)
                .setMatchId(matchId)
                .setPositionScale(Wire.POSITION_SCALE)
                .setSliceCount(match.slices().count())
                .setSliceHp(settings.life().sliceHp())
                .setLastInputSequence((int) Math.max(0, me.lastAppliedSequence()))
                .setMap(map);
        Roster roster = match.roster();
        for (int s = 0; s < roster.size(); s++) {
            w.addRoster(RosterEntry.newBuilder()
                    .setSlot(s)
                    .setPlayerId(roster.get(s).playerId())
                    .setTeam(WireEnums.team(roster.get(s).team()))
                    .setDisplayName(names.of(s)));
        }
        return ServerMessage.newBuilder().setWelcome(w).build();
    }

    public static ServerMessage scoreboard(Match match) {
        Scoreboard.Builder b = Scoreboard.newBuilder()
                .setRedKills(match.kills(Team.RED))
                .setBlueKills(match.kills(Team.BLUE))
                .setRestartVotes(match.restartVotes())
                .setSecondsLeft(Wire.seconds(
                        match.phaseTicksLeft(), match.settings().timing().tickRateHz()));
        for (int s = 0; s < match.playerCount(); s++) {
            Player p = match.player(s);
            b.addPlayers(PlayerScore.newBuilder()
                    .setSlot(s)
                    .setPlayerId(p.playerId())
                    .setTeam(WireEnums.team(p.team()))
                    .setKills(p.kills())
                    .setDeaths(p.deaths())
                    .setConnected(p.connected())
                    .setVoted(p.voted()));
        }
        return ServerMessage.newBuilder().setScoreboard(b).build();
    }

    public static ServerMessage matchEnd(
            Winner winner, boolean restarting, boolean abandoned, int redKills, int blueKills) {
        dev.trespasser.proto.game.v1.Team team = switch (winner) {
            case RED -> dev.trespasser.proto.game.v1.Team.TEAM_RED;
            case BLUE -> dev.trespasser.proto.game.v1.Team.TEAM_BLUE;
            case DRAW, NONE -> dev.trespasser.proto.game.v1.Team.TEAM_UNSPECIFIED;
        };
        return ServerMessage.newBuilder()
                .setMatchEnd(MatchEnd.newBuilder()
                        .setWinner(team)
                        .setRestarting(restarting)
                        .setAbandoned(abandoned)
                        .setRedKills(redKills)
                        .setBlueKills(blueKills))
                .build();
    }

    public static ServerMessage error(ErrorReason reason, String message) {
        return ServerMessage.newBuilder()
                .setError(ErrorNotice.newBuilder().setReason(reason).setMessage(message))
                .build();
    }
}
