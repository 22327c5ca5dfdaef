package dev.trespasser.match.room;

import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** Short matches and a listener that records what the room reports. */
final class RoomFixture {

    private RoomFixture() {}

    /**
     * Short rounds: no warmup, no ending, a short scoreboard. Waiting ends as soon as everyone is
     * in; its limit only matters when someone stays away (a cold JVM's first join takes a while).
     */
    static MatchSettings quickRounds(int waitingSeconds, int scoreboardSeconds) {
        MatchSettings s = MatchSettings.defaults();
        return s.withFlow(new MatchSettings.Flow(4, 50, 600, false, waitingSeconds, 0, 0, scoreboardSeconds, 60, 2, 2));
    }

    static MatchAllocation allocation(String matchId, int players, int timeLimitSeconds) {
        MatchAllocation.Builder a = MatchAllocation.newBuilder()
                .setMatchId(matchId)
                .setMode(players / 2 + "v" + players / 2)
                .setMapName("depot")
                .setRules(MatchRules.newBuilder().setTimeLimitSeconds(timeLimitSeconds));
        for (int i = 0; i < players; i++) {
            a.addRoster(RosterPlayer.newBuilder()
                    .setPlayerId("p" + i)
                    .setTeam(i % 2 == 0 ? RosterTeam.ROSTER_TEAM_RED : RosterTeam.ROSTER_TEAM_BLUE));
        }
        return a.build();
    }

    static final class Recorder implements RoomListener {
        final List<RoundResult> rounds = new CopyOnWriteArrayList<>();
        final CountDownLatch finished = new CountDownLatch(1);
        final CountDownLatch firstRound = new CountDownLatch(1);

        @Override
        public void onRoundEnded(RoundResult result) {
            rounds.add(result);
            firstRound.countDown();
        }

        @Override
        public void onRoomFinished() {
            finished.countDown();
        }
    }
}
