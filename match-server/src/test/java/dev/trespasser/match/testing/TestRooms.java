package dev.trespasser.match.testing;

import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;

/** Allocations and listeners for edge tests that need a hosted room but not its lifecycle. */
public final class TestRooms {

    private TestRooms() {}

    /**
     * An allocation on "depot" whose roster alternates red, blue, red, ... in the order given,
     * as the director seats a balanced match.
     */
    public static MatchAllocation allocation(String matchId, String mode, String... players) {
        MatchAllocation.Builder allocation =
                MatchAllocation.newBuilder().setMatchId(matchId).setMode(mode).setMapName("depot");
        for (int i = 0; i < players.length; i++) {
            allocation.addRoster(RosterPlayer.newBuilder()
                    .setPlayerId(players[i])
                    .setTeam(i % 2 == 0 ? RosterTeam.ROSTER_TEAM_RED : RosterTeam.ROSTER_TEAM_BLUE));
        }
        return allocation.build();
    }

    /** For tests about the edge: round ends and the room's end go nowhere. */
    public static RoomListener ignoringListener() {
        return new RoomListener() {
            @Override
            public void onRoundEnded(RoundResult result) {}

            @Override
            public void onRoomFinished() {}
        };
    }
}
