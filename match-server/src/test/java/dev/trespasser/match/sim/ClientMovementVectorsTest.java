package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.movement.vectors.MovementVectorFile;
import dev.trespasser.game.movement.vectors.MovementVectors;
import dev.trespasser.game.world.GameMap;
import org.junit.jupiter.api.Test;

/**
 * The movement test vectors the web client replays (game-client's {@code movement.json}), played
 * through a real {@link Match}: each case's inputs submitted tick by tick must put the server's
 * player exactly where the file says, so a client that matches the file matches the server.
 */
class ClientMovementVectorsTest {

    @Test
    void everyCaseMovesTheServersPlayerExactlyAsTheFileSays() {
        MovementVectorFile vectors = MovementVectorFile.parse(MovementVectors.generate());
        GameMap map = MapCatalog.load(vectors.map());
        assertEquals(vectors.mapFingerprint(), Long.toUnsignedString(map.fingerprint(), 16));
        MovementVectorFile.Rules r = vectors.rules();
        MatchSettings defaults = Play.quietSettings();
        MatchSettings settings = defaults.withTiming(new MatchSettings.Timing(
                        r.tickRateHz(), defaults.timing().snapshotRateHz()))
                .withMovement(
                        new MatchSettings.Movement(r.playerRadius(), r.sneakSpeed(), r.walkSpeed(), r.runSpeed()));

        for (MovementVectorFile.Case c : vectors.cases()) {
            Play play = Play.start(map, settings, Team.RED, Team.BLUE);
            Match match = play.match;
            for (int slice : c.destroyedSlices()) {
                match.sliceField().damage(slice, settings.life().sliceHp());
            }
            play.place(0, c.start().x(), c.start().y());
            for (int t = 0; t < c.ticks().size(); t++) {
                MovementVectorFile.Tick tick = c.ticks().get(t);
                match.submitInput(0, play.input(0, tick.buttons(), tick.speed(), 0, 0));
                play.run(1);
                String at = c.name() + " tick " + t;
                assertEquals(tick.x(), match.player(0).x(), 0, at + " x");
                assertEquals(tick.y(), match.player(0).y(), 0, at + " y");
            }
        }
    }
}
