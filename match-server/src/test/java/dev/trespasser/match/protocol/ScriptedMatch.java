package dev.trespasser.match.protocol;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.sim.Player;
import dev.trespasser.match.sim.Roster;
import dev.trespasser.match.sim.Team;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.match.testing.BotBrain;
import dev.trespasser.proto.game.v1.ClientMessage;

/**
 * A match of bots driven in-process, their inputs going through the wire decoder: the world the
 * protocol tests encode snapshots from.
 */
final class ScriptedMatch {

    final Match match;
    final SliceJournal journal;
    private final BotBrain[] brains;

    ScriptedMatch(GameMap map, MatchSettings settings, int players, long seed) {
        Roster.Entry[] entries = new Roster.Entry[players];
        for (int i = 0; i < players; i++) {
            entries[i] = new Roster.Entry("p" + i, i % 2 == 0 ? Team.RED : Team.BLUE);
        }
        match = new Match(map, settings, Roster.of(entries), seed);
        journal = new SliceJournal(map.sliceCount());
        brains = new BotBrain[players];
        for (int i = 0; i < players; i++) {
            brains[i] = new BotBrain(seed * 31 + i).roamTowards(map.width() / 2.0, map.height() / 2.0);
            match.connect(i);
        }
    }

    static ScriptedMatch onDepot(int players, long seed) {
        MatchSettings s = MatchSettings.defaults();
        MatchSettings.Flow f = s.flow();
        return new ScriptedMatch(
                MapCatalog.load("depot"),
                s.withFlow(new MatchSettings.Flow(
                        f.maxPerTeam(),
                        f.killLimit(),
                        f.timeLimitSeconds(),
                        false,
                        30,
                        1,
                        f.endingMillis(),
                        f.scoreboardSeconds(),
                        f.reconnectSeconds(),
                        f.restartVotes(),
                        f.minPlayers())),
                players,
                seed);
    }

    /** Every bot sends one input (through the decoder), then the match ticks. */
    TickResult tick() {
        for (int slot = 0; slot < match.playerCount(); slot++) {
            Player me = match.player(slot);
            int seen = match.visibleEnemiesMask(slot);
            Player target = null;
            for (int other = 0; other < match.playerCount(); other++) {
                if ((seen & (1 << other)) != 0) {
                    target = match.player(other);
                    break;
                }
            }
            byte[] frame = ClientMessage.newBuilder()
                    .setInput(brains[slot].next(
                            me.x(),
                            me.y(),
                            target != null,
                            target == null ? 0 : target.x(),
                            target == null ? 0 : target.y()))
                    .build()
                    .toByteArray();
            try {
                ClientCommand.Input in = (ClientCommand.Input) ClientMessageDecoder.decode(frame);
                match.submitInput(slot, in.input());
            } catch (FrameRejectedException e) {
                throw new AssertionError("a bot's input was rejected: " + e.getMessage(), e);
            }
        }
        TickResult r = match.tick();
        journal.record(r);
        return r;
    }
}
