package dev.trespasser.match.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.wire.SnapshotAssembler;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.Team;
import dev.trespasser.proto.game.v1.PlayerFlag;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Snapshot;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SnapshotEncoderTest {

    private static final int TICKS_PER_SNAPSHOT = 2;

    @Test
    void playerNeverReceivesAnEnemyItCannotSeeButAlwaysItsTeammates() {
        ScriptedMatch play = ScriptedMatch.onDepot(8, 7);
        Match match = play.match;
        SnapshotEncoder[] encoders = encoders(match);
        SnapshotAssembler[] clients = assemblers(match);
        int enemySightings = 0;
        for (int t = 0; t < 3600; t++) {
            play.tick();
            if (t % TICKS_PER_SNAPSHOT != 0) {
                continue;
            }
            for (int viewer = 0; viewer < 8; viewer++) {
                Snapshot s = encoders[viewer].encode(match, play.journal);
                if (s == null) {
                    continue;
                }
                encoders[viewer].commit();
                for (PlayerState p : s.getPlayersList()) {
                    assertKnowable(match, viewer, p.getSlot());
                }
                SnapshotAssembler.View view = clients[viewer].apply(s);
                encoders[viewer].acknowledge(s.getTick());
                Team team = match.player(viewer).team();
                int seen = match.visibleEnemiesMask(viewer);
                for (int slot = 0; slot < 8; slot++) {
                    boolean mate = match.player(slot).team() == team;
                    boolean visible = (seen & (1 << slot)) != 0;
                    assertEquals(
                            mate || visible,
                            view.players().containsKey(slot),
                            "viewer " + viewer + " slot " + slot + " at tick " + s.getTick());
                    if (!mate && visible) {
                        enemySightings++;
                        PlayerState enemy = view.players().get(slot);
                        assertEquals(0, enemy.getHealth(), "an enemy's health is not for the viewer");
                        assertEquals(0, enemy.getFlags() & PlayerFlag.PLAYER_FLAG_HAS_CHARGE_VALUE);
                    }
                }
            }
        }
        assertTrue(enemySightings > 100, "the script must produce sightings to check: " + enemySightings);
    }

    @Test
    void deltasApplyOnTheClientToTheFullView() {
        ScriptedMatch play = ScriptedMatch.onDepot(8, 11);
        Match match = play.match;
        SnapshotEncoder[] encoders = encoders(match);
        SnapshotAssembler[] clients = assemblers(match);
        SplittableRandom network = new SplittableRandom(3);
        int[] pendingAck = new int[8];
        long deltaBytes = 0;
        long fullBytes = 0;
        int deltas = 0;
        for (int t = 0; t < 4000; t++) {
            play.tick();
            if (t % TICKS_PER_SNAPSHOT != 0) {
                continue;
            }
            for (int viewer = 0; viewer < 8; viewer++) {
                SnapshotEncoder fresh = new SnapshotEncoder(viewer, 30);
                Snapshot full = fresh.encode(match, play.journal);
                assertEquals(0, full.getBaselineAge());
                SnapshotAssembler.View truth = new SnapshotAssembler().apply(full);

                Snapshot s = encoders[viewer].encode(match, play.journal);
                if (s == null) {
                    SnapshotAssembler.View held = clients[viewer].latest();
                    assertEquals(withTick(truth, held.tick()), held, "a skipped snapshot changed nothing");
                    continue;
                }
                // The connection sometimes drops a snapshot (slow consumer): never committed, never seen.
                if (network.nextInt(10) == 0) {
                    continue;
                }
                encoders[viewer].commit();
                assertEquals(truth, clients[viewer].apply(s), "viewer " + viewer + " tick " + s.getTick());
                if (s.getBaselineAge() > 0) {
                    deltas++;
                    deltaBytes += s.getSerializedSize();
                    fullBytes += full.getSerializedSize();
                }
                // Acks arrive late, out of order or not at all.
                int roll = network.nextInt(10);
                if (roll < 6) {
                    encoders[viewer].acknowledge(s.getTick());
                } else if (roll < 8 && pendingAck[viewer] != 0) {
                    encoders[viewer].acknowledge(pendingAck[viewer]);
                }
                pendingAck[viewer] = s.getTick();
            }
        }
        assertTrue(deltas > 1000, "most snapshots are deltas: " + deltas);
        assertTrue(deltaBytes * 2 < fullBytes, "deltas are much smaller: " + deltaBytes + " vs " + fullBytes);
    }

    @Test
    void unacknowledgedClientKeepsGettingFullSnapshots() {
        ScriptedMatch play = ScriptedMatch.onDepot(4, 5);
        SnapshotEncoder encoder = new SnapshotEncoder(0, 30);
        for (int t = 0; t < 200; t++) {
            play.tick();
            Snapshot s = encoder.encode(play.match, play.journal);
            if (s != null) {
                encoder.commit();
                assertEquals(0, s.getBaselineAge());
            }
        }
    }

    @Test
    void ackOlderThanTheRingFallsBackToAFullSnapshot() {
        ScriptedMatch play = ScriptedMatch.onDepot(4, 9);
        SnapshotEncoder encoder = new SnapshotEncoder(0, 1);
        play.tick();
        Snapshot first = encoder.encode(play.match, play.journal);
        encoder.commit();
        encoder.acknowledge(first.getTick());
        play.tick();
        Snapshot second = encoder.encode(play.match, play.journal);
        encoder.commit();
        assertEquals(1, second.getBaselineAge(), "a fresh ack is a baseline");
        for (int i = 0; i < SnapshotEncoder.RING; i++) {
            play.tick();
            assertNotNull(encoder.encode(play.match, play.journal));
            encoder.commit();
        }
        play.tick();
        assertEquals(0, encoder.encode(play.match, play.journal).getBaselineAge());
    }

    @Test
    void idleViewSendsNothingButAHeartbeat() {
        ScriptedMatch play = ScriptedMatch.onDepot(2, 1);
        Match match = play.match;
        // Nobody sends inputs: in waiting nothing moves, only the countdown changes once a second.
        match.disconnect(1);
        match.tick();
        SnapshotEncoder encoder = new SnapshotEncoder(0, 60);
        int sent = 0;
        for (int t = 0; t < 600; t++) {
            play.journal.record(match.tick());
            Snapshot s = encoder.encode(match, play.journal);
            if (s != null) {
                encoder.commit();
                encoder.acknowledge(s.getTick());
                sent++;
            }
        }
        assertEquals(Phase.WAITING, match.phase());
        assertTrue(sent >= 10 && sent <= 12, "one per second of countdown, sent " + sent);
    }

    @Test
    void typicalPlayStaysWithinTheDownstreamBudget() {
        ScriptedMatch play = ScriptedMatch.onDepot(8, 21);
        Match match = play.match;
        SnapshotEncoder[] encoders = encoders(match);
        EventCollector[] events = new EventCollector[8];
        for (int i = 0; i < 8; i++) {
            events[i] = new EventCollector(i, 60, new RosterNames(match.roster()));
        }
        long bytes = 0;
        int ticks = 60 * 60;
        for (int t = 0; t < ticks; t++) {
            var r = play.tick();
            for (int viewer = 0; viewer < 8; viewer++) {
                events[viewer].collect(r);
            }
            if (t % TICKS_PER_SNAPSHOT != 0) {
                continue;
            }
            for (int viewer = 0; viewer < 8; viewer++) {
                if (!events[viewer].isEmpty()) {
                    bytes += frameBytes(ServerMessage.newBuilder()
                            .setEvents(events[viewer].drain(r.tick()))
                            .build());
                }
                Snapshot s = encoders[viewer].encode(match, play.journal);
                if (s != null) {
                    encoders[viewer].commit();
                    encoders[viewer].acknowledge(s.getTick());
                    bytes +=
                            frameBytes(ServerMessage.newBuilder().setSnapshot(s).build());
                }
            }
        }
        double perPlayerPerSecond = bytes / 8.0 / (ticks / 60.0);
        assertTrue(perPlayerPerSecond <= 1536, "downstream per player: " + perPlayerPerSecond + " B/s");
    }

    /** Server-to-client WebSocket frames have a 2-byte header up to 125 bytes, 4 up to 64 KiB. */
    static int frameBytes(ServerMessage m) {
        int n = m.getSerializedSize();
        return n + (n <= 125 ? 2 : 4);
    }

    private static void assertKnowable(Match match, int viewer, int slot) {
        boolean mate = match.player(slot).team() == match.player(viewer).team();
        assertTrue(
                mate || (match.visibleEnemiesMask(viewer) & (1 << slot)) != 0,
                "viewer " + viewer + " was sent enemy " + slot + " it cannot see");
    }

    private static SnapshotAssembler.View withTick(SnapshotAssembler.View v, int tick) {
        return new SnapshotAssembler.View(
                tick,
                v.lastInputSequence(),
                v.phase(),
                v.phaseSecondsLeft(),
                v.redKills(),
                v.blueKills(),
                v.players(),
                v.damagedSlices(),
                v.charges());
    }

    private static SnapshotEncoder[] encoders(Match match) {
        SnapshotEncoder[] e = new SnapshotEncoder[match.playerCount()];
        for (int i = 0; i < e.length; i++) {
            e[i] = new SnapshotEncoder(i, 30);
        }
        return e;
    }

    private static SnapshotAssembler[] assemblers(Match match) {
        SnapshotAssembler[] a = new SnapshotAssembler[match.playerCount()];
        for (int i = 0; i < a.length; i++) {
            a[i] = new SnapshotAssembler();
        }
        return a;
    }
}
