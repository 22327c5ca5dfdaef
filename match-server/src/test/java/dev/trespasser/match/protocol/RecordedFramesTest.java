package dev.trespasser.match.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.wire.MapGeometryCodec;
import dev.trespasser.game.wire.SnapshotAssembler;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.match.sim.Winner;
import dev.trespasser.proto.game.v1.ChargeState;
import dev.trespasser.proto.game.v1.EventBatch;
import dev.trespasser.proto.game.v1.GameEvent;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records what one player's connection receives during a short scripted match (the real
 * {@link Match}, {@link SnapshotEncoder}, {@link EventCollector} and {@link ServerMessages}, fixed
 * seed, bots' inputs through the decoder, no socket) into the web client's committed fixture
 * {@code web/test/fixtures/recorded-frames.bin} (each frame a 4-byte big-endian length, then the
 * ServerMessage bytes) and the facts the Java {@link SnapshotAssembler} reads from them
 * ({@code recorded-frames.json}). The web client's Vitest decodes the frames and must reach the
 * same facts. Fails when the server now produces other bytes: rerun with
 * {@code -Dfixtures.update=true} and commit both files.
 */
class RecordedFramesTest {

    static final String UPDATE_PROPERTY = "fixtures.update";
    static final Path FIXTURES = Path.of("..", "web", "test", "fixtures");
    static final Path FRAMES = FIXTURES.resolve("recorded-frames.bin");
    static final Path FACTS = FIXTURES.resolve("recorded-frames.json");

    private static final int VIEWER = 0;
    private static final int TICKS = 1800;
    private static final int TICKS_PER_SNAPSHOT = 2;

    @Test
    void committedFixtureIsWhatTheServerSendsNow() throws IOException {
        Recording now = record();
        assertArrayEquals(record().frames(), now.frames(), "recording twice gives the same bytes");
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(FIXTURES);
            Files.write(FRAMES, now.frames());
            Files.writeString(FACTS, now.facts(), StandardCharsets.UTF_8);
        }
        String how = "the server's frames changed: rerun with -D" + UPDATE_PROPERTY
                + "=true (mvn -pl match-server -am test -Dtest=RecordedFramesTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY
                + "=true) and commit web/test/fixtures/recorded-frames.{bin,json}; the web client's"
                + " recordedFrames.test.ts then tells whether it still reads them";
        assertTrue(Files.exists(FRAMES) && Files.exists(FACTS), how);
        assertArrayEquals(Files.readAllBytes(FRAMES), now.frames(), how);
        assertEquals(Files.readString(FACTS, StandardCharsets.UTF_8), now.facts(), how);
    }

    /** The recording must show what the web test checks, or passing it proves little. */
    @Test
    void recordingHoldsDeltasEventsAndSound() {
        Recording r = record();
        assertTrue(r.deltas > 100, "delta snapshots: " + r.deltas);
        assertTrue(r.fulls >= 1, "the first snapshot is full");
        assertTrue(r.sounds > 0, "sounds heard: " + r.sounds);
        assertTrue(r.snapshots > 300, "snapshots: " + r.snapshots);
    }

    record Recording(byte[] frames, String facts, int snapshots, int deltas, int fulls, int sounds) {}

    static Recording record() {
        ScriptedMatch play = ScriptedMatch.onDepot(4, 5);
        Match match = play.match;
        int tickRate = match.settings().timing().tickRateHz();
        SnapshotEncoder encoder = new SnapshotEncoder(VIEWER, tickRate);
        RosterNames names = new RosterNames(match.roster());
        EventCollector events = new EventCollector(VIEWER, tickRate, names);
        SnapshotAssembler client = new SnapshotAssembler();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        StringBuilder facts = new StringBuilder();
        List<String> snapshotFacts = new ArrayList<>();
        int deltas = 0;
        int fulls = 0;
        int sounds = 0;
        int kills = 0;
        int destroyed = 0;
        int batches = 0;
        ServerMessage welcome = ServerMessages.welcome(
                match,
                names,
                VIEWER,
                "m-recorded",
                tickRate / TICKS_PER_SNAPSHOT,
                MapGeometryCodec.encode(match.map()));
        write(out, welcome);
        for (int t = 1; t <= TICKS; t++) {
            TickResult result = play.tick();
            events.collect(result);
            if (t % TICKS_PER_SNAPSHOT != 0) {
                continue;
            }
            if (!events.isEmpty()) {
                EventBatch batch = events.drain(match.currentTick());
                sounds += batch.getSoundsCount();
                for (GameEvent e : batch.getEventsList()) {
                    kills += e.hasKill() ? 1 : 0;
                    destroyed += e.hasSlicesDestroyed() ? e.getSlicesDestroyed().getIndicesCount() : 0;
                }
                batches++;
                write(out, ServerMessage.newBuilder().setEvents(batch).build());
            }
            Snapshot s = encoder.encode(match, play.journal);
            if (s == null) {
                continue;
            }
            encoder.commit();
            write(out, ServerMessage.newBuilder().setSnapshot(s).build());
            if (s.getBaselineAge() == 0) {
                fulls++;
            } else {
                deltas++;
            }
            SnapshotAssembler.View v = client.apply(s);
            snapshotFacts.add(viewFacts(v, s.getBaselineAge()));
            // Every fifth ack is lost, so baselines older than the last snapshot occur.
            if ((t / TICKS_PER_SNAPSHOT) % 5 != 0) {
                encoder.acknowledge(s.getTick());
            }
        }
        write(out, ServerMessages.scoreboard(match));
        SnapshotAssembler.View last = client.latest();
        write(out, ServerMessages.matchEnd(Winner.DRAW, false, false, last.redKills(), last.blueKills()));
        facts.append("{\n");
        facts.append("  \"welcome\": {\"slot\": ")
                .append(welcome.getWelcome().getSlot())
                .append(", \"team\": ")
                .append(welcome.getWelcome().getTeamValue())
                .append(", \"mapName\": \"")
                .append(welcome.getWelcome().getMapName())
                .append("\", \"sliceCount\": ")
                .append(welcome.getWelcome().getSliceCount())
                .append(", \"sliceHp\": ")
                .append(welcome.getWelcome().getSliceHp())
                .append(", \"positionScale\": ")
                .append(welcome.getWelcome().getPositionScale())
                .append(", \"tickRateHz\": ")
                .append(welcome.getWelcome().getTickRateHz())
                .append(", \"mapFormat\": ")
                .append(welcome.getWelcome().getMap().getFormat())
                .append(", \"rosterSize\": ")
                .append(welcome.getWelcome().getRosterCount())
                .append("},\n");
        facts.append("  \"events\": {\"batches\": ")
                .append(batches)
                .append(", \"sounds\": ")
                .append(sounds)
                .append(", \"kills\": ")
                .append(kills)
                .append(", \"slicesDestroyed\": ")
                .append(destroyed)
                .append("},\n");
        facts.append("  \"snapshots\": [\n    ")
                .append(String.join(",\n    ", snapshotFacts))
                .append("\n  ]\n}\n");
        return new Recording(bytes.toByteArray(), facts.toString(), snapshotFacts.size(), deltas, fulls, sounds);
    }

    /** One assembled view as compact JSON: players as [slot, x, y, aim, health, speed, flags]. */
    private static String viewFacts(SnapshotAssembler.View v, int baselineAge) {
        StringBuilder b = new StringBuilder();
        b.append("{\"tick\": ")
                .append(v.tick())
                .append(", \"baselineAge\": ")
                .append(baselineAge)
                .append(", \"lastInputSequence\": ")
                .append(v.lastInputSequence())
                .append(", \"phase\": ")
                .append(v.phase().getNumber())
                .append(", \"phaseSecondsLeft\": ")
                .append(v.phaseSecondsLeft())
                .append(", \"redKills\": ")
                .append(v.redKills())
                .append(", \"blueKills\": ")
                .append(v.blueKills())
                .append(", \"players\": [");
        String sep = "";
        for (PlayerState p : v.players().values().stream()
                .sorted((a, c) -> Integer.compare(a.getSlot(), c.getSlot()))
                .toList()) {
            b.append(sep)
                    .append('[')
                    .append(p.getSlot())
                    .append(", ")
                    .append(p.getX())
                    .append(", ")
                    .append(p.getY())
                    .append(", ")
                    .append(p.getAim())
                    .append(", ")
                    .append(p.getHealth())
                    .append(", ")
                    .append(p.getSpeedValue())
                    .append(", ")
                    .append(p.getFlags())
                    .append(']');
            sep = ", ";
        }
        b.append("], \"damagedSlices\": [");
        sep = "";
        for (Map.Entry<Integer, Integer> e : v.damagedSlices().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .toList()) {
            b.append(sep)
                    .append('[')
                    .append(e.getKey())
                    .append(", ")
                    .append(e.getValue())
                    .append(']');
            sep = ", ";
        }
        b.append("], \"charges\": [");
        sep = "";
        for (ChargeState c : v.charges().values().stream()
                .sorted((a, c2) -> Integer.compare(a.getId(), c2.getId()))
                .toList()) {
            b.append(sep)
                    .append('[')
                    .append(c.getId())
                    .append(", ")
                    .append(c.getX())
                    .append(", ")
                    .append(c.getY())
                    .append(", ")
                    .append(c.getExplodesAtTick())
                    .append(']');
            sep = ", ";
        }
        return b.append("]}").toString();
    }

    private static void write(DataOutputStream out, ServerMessage message) {
        try {
            byte[] frame = message.toByteArray();
            out.writeInt(frame.length);
            out.write(frame);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
