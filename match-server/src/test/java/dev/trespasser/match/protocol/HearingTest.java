package dev.trespasser.match.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.MapParser;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.PlayerInput;
import dev.trespasser.match.sim.Roster;
import dev.trespasser.match.sim.Team;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.proto.game.v1.EventBatch;
import dev.trespasser.proto.game.v1.GameEvent;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.ShotEvent;
import dev.trespasser.proto.game.v1.Snapshot;
import dev.trespasser.proto.game.v1.SoundKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HearingTest {

    /** Two halves split by a wall from edge to edge: the teams can hear each other, never see. */
    private static final GameMap SPLIT = MapParser.parse("split", """
            trespasser-map 1
            size 200 100
            spawn red 10 30 40 40
            spawn blue 150 30 40 40
            wall v 97 0 50 6
            """);

    @Test
    void enemyHeardThroughAWallIsADirectionNeverAPosition() {
        MatchSettings s = MatchSettings.defaults();
        Match match = new Match(
                SPLIT,
                s.withFlow(new MatchSettings.Flow(4, 50, 600, false, 30, 1, 3000, 15, 60, 2, 2)),
                Roster.of(new Roster.Entry("red", Team.RED), new Roster.Entry("blue", Team.BLUE)),
                1);
        match.connect(0);
        match.connect(1);
        SliceJournal journal = new SliceJournal(SPLIT.sliceCount());
        SnapshotEncoder blueView = new SnapshotEncoder(1, 30);
        RosterNames names = new RosterNames(match.roster());
        EventCollector blueEars = new EventCollector(1, 60, names);
        EventCollector redEars = new EventCollector(0, 60, names);
        List<Snapshot> received = new ArrayList<>();
        List<EventBatch> heard = new ArrayList<>();
        List<EventBatch> redHeard = new ArrayList<>();
        int seq = 0;
        for (int t = 0; t < 200; t++) {
            if (match.phase() == Phase.ACTIVE && (t == 150 || t == 175)) {
                // Red fires once at the wall (aim 0 = +x, towards blue).
                match.submitInput(0, new PlayerInput(++seq, PlayerInput.FIRE, Speed.WALK, 0, 0));
            } else {
                match.submitInput(0, new PlayerInput(++seq, 0, Speed.WALK, 0, 0));
            }
            TickResult r = match.tick();
            journal.record(r);
            blueEars.collect(r);
            redEars.collect(r);
            Snapshot snap = blueView.encode(match, journal);
            if (snap != null) {
                blueView.commit();
                blueView.acknowledge(snap.getTick());
                received.add(snap);
            }
            if (!blueEars.isEmpty()) {
                heard.add(blueEars.drain(r.tick()));
            }
            if (!redEars.isEmpty()) {
                redHeard.add(redEars.drain(r.tick()));
            }
        }
        List<ShotEvent> ownShots = new ArrayList<>();
        for (EventBatch b : redHeard) {
            for (GameEvent e : b.getEventsList()) {
                if (e.hasShot()) {
                    ownShots.add(e.getShot());
                }
            }
        }
        assertEquals(2, ownShots.size(), "the shooter is told of both its shots");
        for (ShotEvent shot : ownShots) {
            assertEquals(0, shot.getShooterSlot());
            assertTrue(shot.getToX() > shot.getFromX(), "fired east: " + shot);
            assertTrue(Wire.worldUnits(shot.getToX()) <= 98, "stopped at the wall (x 97..103): " + shot);
            assertFalse(shot.hasHitSlot(), "hit no player");
        }
        for (EventBatch b : heard) {
            assertTrue(b.getEventsList().stream().noneMatch(GameEvent::hasShot), "blue learns no shot's path");
        }
        List<Integer> gunshots = new ArrayList<>();
        for (EventBatch b : heard) {
            for (int packed : b.getSoundsList()) {
                if (Wire.soundKind(packed) == SoundKind.SOUND_KIND_GUNSHOT) {
                    gunshots.add(packed);
                }
            }
        }
        assertEquals(2, gunshots.size(), "blue hears both shots");
        for (int packed : gunshots) {
            assertTrue(Wire.soundMuffled(packed), "through the wall the shot is muffled");
            int direction = Wire.soundDirection(packed);
            assertTrue(Math.abs(direction - 32768) < 65536 / 8, "red is to the west: " + direction);
        }
        assertFalse(received.isEmpty());
        for (Snapshot snap : received) {
            for (PlayerState p : snap.getPlayersList()) {
                assertEquals(1, p.getSlot(), "blue's snapshots only ever hold blue, never the red shooter");
            }
            assertTrue(snap.getChargesList().isEmpty());
        }
    }

    @Test
    void soundsGoOnlyToTheirListener() {
        ScriptedMatch play = ScriptedMatch.onDepot(8, 4);
        EventCollector[] ears = new EventCollector[8];
        for (int i = 0; i < 8; i++) {
            ears[i] = new EventCollector(i, 60, new RosterNames(play.match.roster()));
        }
        int total = 0;
        for (int t = 0; t < 2000; t++) {
            TickResult r = play.tick();
            for (int listener = 0; listener < 8; listener++) {
                ears[listener].collect(r);
                List<Integer> expected = new ArrayList<>();
                for (var sound : r.sounds()) {
                    if (sound.listener() == listener) {
                        expected.add(WireEnums.packSound(sound.kind(), sound.direction(), sound.muffled()));
                    }
                }
                assertEquals(expected, ears[listener].drain(r.tick()).getSoundsList());
                total += expected.size();
            }
        }
        assertTrue(total > 100, "the script makes noise: " + total);
    }
}
