package dev.trespasser.bots.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.trespasser.bots.ai.MapKnowledge;
import dev.trespasser.bots.stats.RunStats;
import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.wire.MapGeometryCodec;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.proto.game.v1.Team;
import dev.trespasser.proto.game.v1.Welcome;
import org.junit.jupiter.api.Test;

/** The bot learns its map from Welcome.map, not from files of its own. */
class MatchPlayerMapTest {

    private final MatchPlayer player = new MatchPlayer(7, 60, new RunStats());

    @Test
    void theWalledMapComesFromTheWelcome() {
        GameMap crossfire = MapCatalog.load("crossfire");
        // The name says depot: only the geometry counts.
        player.welcomed(
                welcome("depot").setMap(MapGeometryCodec.encode(crossfire)).build());

        MapKnowledge map = player.map();
        assertEquals(crossfire.sliceCount(), map.sliceCount());
        assertEquals(crossfire.width(), map.width());
        assertEquals(crossfire.height(), map.height());
    }

    @Test
    void aRejoinToTheSameGeometryKeepsTheMindsMap() {
        Welcome first = welcome("depot")
                .setMap(MapGeometryCodec.encode(MapCatalog.load("depot")))
                .build();
        player.welcomed(first);
        MapKnowledge learned = player.map();

        player.welcomed(first.toBuilder().setLastInputSequence(90).build());
        assertSame(learned, player.map());
        player.welcomed(welcome("depot").clearMap().build());
        assertSame(learned, player.map(), "a Welcome without geometry changes nothing once a map is known");

        player.welcomed(welcome("crossfire")
                .setMap(MapGeometryCodec.encode(MapCatalog.load("crossfire")))
                .build());
        assertNotSame(learned, player.map());
        assertEquals(MapCatalog.load("crossfire").sliceCount(), player.map().sliceCount());
    }

    @Test
    void aWelcomeWithoutGeometryPlaysWithoutWalls() {
        player.welcomed(welcome("depot").build());
        assertEquals(0, player.map().sliceCount());
    }

    @Test
    void refusedGeometryPlaysWithoutWalls() {
        // A fingerprint that does not match: the codec refuses, the bot still plays.
        player.welcomed(welcome("depot")
                .setMap(MapGeometryCodec.encode(MapCatalog.load("depot")).toBuilder()
                        .setFingerprint(1))
                .build());
        assertEquals(0, player.map().sliceCount());
    }

    private static Welcome.Builder welcome(String mapName) {
        return Welcome.newBuilder()
                .setPlayerId("p")
                .setSlot(0)
                .setTeam(Team.TEAM_RED)
                .setMapName(mapName)
                .setPositionScale(8)
                .setTickRateHz(60)
                .setSnapshotRateHz(30);
    }
}
