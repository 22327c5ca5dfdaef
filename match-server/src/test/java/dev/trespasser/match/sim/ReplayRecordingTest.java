package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.GameMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayRecordingTest {

    private static final GameMap DEPOT = MapCatalog.load("depot");
    private static final Roster FOUR_V_FOUR =
            Play.roster(Team.RED, Team.RED, Team.RED, Team.RED, Team.BLUE, Team.BLUE, Team.BLUE, Team.BLUE);
    private static final long MEBIBYTE = 1024 * 1024;

    /** A match of short rounds that the players restart twice; the replay of every round, in order. */
    private static List<Replay> threeRoundsWithRestarts(long seed) {
        MatchSettings quick = MatchSettings.defaults().withPrivateRules(3, 150, true);
        Match match = new Match(DEPOT, quick, FOUR_V_FOUR, seed);
        Bots bots = new Bots(match, seed + 1);
        for (int slot = 0; slot < 8; slot++) {
            match.connect(slot);
        }
        List<Replay> rounds = new ArrayList<>();
        for (int t = 0; t < 60_000 && match.outcome() == Outcome.RUNNING; t++) {
            if (match.phase() == Phase.SCOREBOARD && rounds.size() < 2) {
                match.vote(0);
                match.vote(4);
            }
            if (t == 9_000) {
                match.disconnect(6); // leaves during round 2 and is dropped by the restart
            }
            bots.tick();
            if (match.restartedRoundReplay() != null) {
                rounds.add(match.restartedRoundReplay());
            }
        }
        assertEquals(Outcome.FINISHED, match.outcome());
        rounds.add(match.replay());
        return rounds;
    }

    @Test
    void everyRoundOfARestartedMatchReplaysOnItsOwn() {
        List<Replay> rounds = threeRoundsWithRestarts(41);
        assertEquals(3, rounds.size());
        assertNull(rounds.get(0).start(), "the first round starts from construction");
        for (int r = 0; r < rounds.size(); r++) {
            Replay round = rounds.get(r);
            ReplayRunner.Result result = ReplayRunner.run(round, DEPOT);
            assertTrue(result.matchesRecording(), "round " + (r + 1) + " reproduces its score and hash");
            Replay stored = ReplayCodec.decode(ReplayCodec.encode(round));
            assertEquals(round, stored);
            assertTrue(ReplayRunner.run(stored, DEPOT).matchesRecording(), "round " + (r + 1) + " from bytes");
        }
        assertTrue(
                rounds.stream().mapToInt(r -> r.redKills() + r.blueKills()).sum() > 0,
                "there were scores to reproduce");
        assertEquals(rounds.get(0).ticks() + 1, rounds.get(1).firstTick(), "round 2 starts in the restart tick");
        assertTrue(rounds.get(2).start().seats().get(6).dropped(), "the slot that left stays dropped in round 3");
        assertEquals(Outcome.FINISHED, ReplayRunner.run(rounds.get(2), DEPOT).outcome());
    }

    @Test
    void aRestartStartsANewRecordingAndFreesTheOldOne() {
        MatchSettings quick = MatchSettings.defaults().withPrivateRules(3, 40, true);
        Match match = new Match(DEPOT, quick, FOUR_V_FOUR, 7);
        Bots bots = new Bots(match, 8);
        for (int slot = 0; slot < 8; slot++) {
            match.connect(slot);
        }
        long heldAtRoundEnd = 0;
        Replay finished = null;
        while (finished == null) {
            if (match.phase() == Phase.SCOREBOARD) {
                match.vote(0);
                match.vote(4);
                heldAtRoundEnd = match.replayRetainedBytes();
            }
            bots.tick();
            finished = match.restartedRoundReplay();
        }
        assertTrue(finished.commands().count() > 1_000, "round 1 recorded its inputs");
        assertTrue(heldAtRoundEnd >= finished.commands().byteSize());
        assertTrue(match.replay().commands().isEmpty(), "round 2 starts with an empty recording");
        assertEquals(0, match.replayRetainedBytes());
        bots.tick();
        assertNull(match.restartedRoundReplay(), "the finished round is handed out for one tick only");
    }

    /**
     * The budget: a 10-minute round, 8 players, an input every tick each, aimed with a mouse
     * (the aim turns every tick, flicks now and then), buttons changing several times a second.
     */
    @Test
    void tenMinuteRoundOfEightPlayersAtSixtyInputsPerSecondFitsInOneMebibyte() {
        CommandRecorder recorder = new CommandRecorder(8, 0);
        SplittableRandom random = new SplittableRandom(3);
        int[] aim = new int[8];
        int[] turn = new int[8];
        int[] buttons = new int[8];
        Speed[] speed = new Speed[8];
        Arrays.fill(speed, Speed.WALK);
        int inputs = 8 * 60 * 600;
        for (int tick = 0; tick < 60 * 600; tick++) {
            for (int slot = 0; slot < 8; slot++) {
                turn[slot] = Math.max(-400, Math.min(400, turn[slot] + random.nextInt(-40, 41)));
                aim[slot] = (aim[slot] + turn[slot] + (random.nextInt(120) == 0 ? random.nextInt(65536) : 0)) & 0xFFFF;
                if (random.nextInt(15) == 0) {
                    buttons[slot] = random.nextInt(64);
                }
                if (random.nextInt(300) == 0) {
                    speed[slot] = Speed.values()[random.nextInt(3)];
                }
                recorder.input(tick, slot, new PlayerInput(tick + 1, buttons[slot], speed[slot], aim[slot], 30));
            }
        }
        RecordedCommands recorded = recorder.recorded();
        assertEquals(inputs, recorded.count());
        Replay replay = new Replay(
                new ReplayHeader("depot", DEPOT.fingerprint(), MatchSettings.defaults(), 1, FOUR_V_FOUR),
                null,
                recorded,
                60 * 600,
                0,
                0,
                0);
        byte[] bytes = ReplayCodec.encode(replay);
        System.out.printf(
                "10-minute round, %d inputs: %d bytes recorded (%.2f per input), %d held, %d encoded%n",
                inputs,
                recorded.byteSize(),
                (double) recorded.byteSize() / inputs,
                recorder.retainedBytes(),
                bytes.length);
        assertTrue(recorder.retainedBytes() <= MEBIBYTE, "heap held by the recording: " + recorder.retainedBytes());
        assertTrue(bytes.length <= MEBIBYTE, "encoded: " + bytes.length);
        assertEquals(replay, ReplayCodec.decode(bytes));
    }

    @Test
    void aFloodingClientIsCutOffAtItsShareOfTheReplayAndTheRoundStillReplays() {
        Match match = new Match(DEPOT, MatchSettings.defaults(), Play.roster(Team.RED, Team.BLUE), 5);
        match.connect(0);
        match.connect(1);
        SplittableRandom random = new SplittableRandom(17);
        int hostileSequence = 0;
        int honestSequence = 0;
        int refusedAt = -1;
        for (int t = 0; t < 12_000; t++) {
            for (int burst = 0; burst < 4; burst++) {
                hostileSequence += random.nextInt(1, 1 << 16);
                boolean accepted = match.submitInput(
                        0,
                        new PlayerInput(
                                hostileSequence,
                                random.nextInt(64),
                                Speed.values()[random.nextInt(3)],
                                random.nextInt(65536),
                                random.nextInt()));
                if (!accepted && refusedAt < 0) {
                    refusedAt = t;
                }
            }
            assertTrue(
                    match.submitInput(1, new PlayerInput(++honestSequence, PlayerInput.UP, Speed.WALK, 100, 30)),
                    "the other player's inputs are still taken at tick " + t);
            match.tick();
        }
        assertTrue(refusedAt > 0, "the flood was cut off: " + refusedAt);
        long cap = CommandRecorder.SLOT_INPUT_BYTES;
        assertTrue(
                match.replayRetainedBytes() <= cap + 12_000 * 2 + CommandRecorder.CHUNK_BYTES,
                "held: " + match.replayRetainedBytes());
        assertTrue(ReplayRunner.run(ReplayCodec.decode(ReplayCodec.encode(match.replay())), DEPOT)
                .matchesRecording());
    }

    @Test
    void inputsComeBackExactlyAsGiven() {
        CommandRecorder recorder = new CommandRecorder(2, 5);
        List<ReplayCommand> given = List.of(
                new ReplayCommand(5, ReplayCommand.Kind.CONNECT, 1, null),
                new ReplayCommand(5, ReplayCommand.Kind.INPUT, 1, new PlayerInput(-2, 63, Speed.RUN, 65535, 0)),
                new ReplayCommand(6, ReplayCommand.Kind.INPUT, 1, new PlayerInput(-1, 63, Speed.RUN, 0, 9)),
                new ReplayCommand(6, ReplayCommand.Kind.INPUT, 0, new PlayerInput(7, 1, Speed.SNEAK, 32768, 1 << 30)),
                new ReplayCommand(22, ReplayCommand.Kind.INPUT, 0, new PlayerInput(3, 1, Speed.SNEAK, 32767, 0)),
                new ReplayCommand(100_000, ReplayCommand.Kind.VOTE, 0, null),
                new ReplayCommand(100_000, ReplayCommand.Kind.DISCONNECT, 1, null));
        for (ReplayCommand c : given) {
            switch (c.kind()) {
                case CONNECT -> recorder.connect(c.tick(), c.slot());
                case DISCONNECT -> recorder.disconnect(c.tick(), c.slot());
                case VOTE -> recorder.vote(c.tick(), c.slot());
                case INPUT -> recorder.input(c.tick(), c.slot(), c.input());
            }
        }
        assertEquals(given, recorder.recorded().toList());
        assertThrows(IllegalStateException.class, () -> recorder.vote(99_999, 0), "ticks never go back");
    }

    // ---- stored bytes from outside ----------------------------------------------------------

    private static byte[] storedRound() {
        return ReplayCodec.encode(threeRoundsWithRestarts(43).get(1));
    }

    @Test
    void otherVersionsAreRefusedByName() {
        byte[] bytes = storedRound();
        for (int version : new int[] {1, 3, 0xFFFF}) {
            byte[] other = bytes.clone();
            other[4] = (byte) (version >>> 8);
            other[5] = (byte) version;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(other));
            assertEquals("unsupported replay version " + version + " (this build reads version 2)", e.getMessage());
        }
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] bytes = storedRound();
        for (int length = 0; length < bytes.length; length++) {
            int cut = length;
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ReplayCodec.decode(Arrays.copyOf(bytes, cut)),
                    "cut at " + cut);
        }
    }

    @Test
    void corruptBytesAreRefusedWithAReasonOrDecodeToAValidReplay() {
        byte[] bytes = storedRound();
        SplittableRandom random = new SplittableRandom(11);
        int refused = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] corrupt = bytes.clone();
            for (int k = random.nextInt(1, 4); k > 0; k--) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            try {
                Replay replay = ReplayCodec.decode(corrupt);
                assertNotNull(replay.commands().toList(), "a replay that decodes can be iterated");
            } catch (IllegalArgumentException expected) {
                assertNotNull(expected.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 0);
    }

    @Test
    void hostileCountsAndLengthsAreRefusedWithoutAllocatingThem() {
        byte[] bytes = storedRound();
        int lengthAt = bytes.length - (int) ReplayCodec.decode(bytes).commands().byteSize() - 4;
        byte[] longer = bytes.clone();
        ByteBuffer.wrap(longer).putInt(lengthAt, Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(longer));
        byte[] negative = bytes.clone();
        ByteBuffer.wrap(negative).putInt(lengthAt, -1);
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(negative));
        byte[] moreCommands = bytes.clone();
        ByteBuffer.wrap(moreCommands).putInt(lengthAt - 4, Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(moreCommands));
        byte[] fewerCommands = bytes.clone();
        ByteBuffer.wrap(fewerCommands)
                .putInt(lengthAt - 4, ByteBuffer.wrap(bytes).getInt(lengthAt - 4) - 1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(fewerCommands));
        assertTrue(e.getMessage().contains("commands but holds"), e.getMessage());
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(trailing));
    }

    @Test
    void commandStreamsThatBreakTheFormatAreRefused() {
        assertRefused(new byte[] {(byte) 0x08}, 1, 2, "truncated"); // buttons byte missing
        assertRefused(new byte[] {(byte) 0x08, (byte) 0xC0}, 1, 2, "unknown speed"); // speed 3
        assertRefused(new byte[] {(byte) 0x05}, 1, 2, "slot 5 outside the roster"); // slot beyond roster
        assertRefused(new byte[] {(byte) 0x93}, 1, 2, "slot 3 outside the roster"); // connect of slot 3
        assertRefused(new byte[] {(byte) 0xC0}, 1, 2, "unknown command op 4");
        assertRefused(new byte[] {(byte) 0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F}, 1, 2, "aim change out of range");
        assertRefused(
                new byte[] {(byte) 0x40, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x0F},
                1,
                2,
                "negative throw distance");
        assertRefused(
                new byte[] {(byte) 0x20, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                1,
                2,
                "varint wider than 32 bits");
        assertRefused(new byte[] {(byte) 0x81, (byte) 0x90}, 1, 2, "after the replay's last tick"); // tick 2 > 1
        assertRefused(
                new byte[] {(byte) 0x8F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x07, (byte) 0x90},
                1,
                2,
                "overflow");
    }

    private static void assertRefused(byte[] stream, int count, int slots, String reason) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RecordedCommands.parse(stream, count, slots, 0, 1));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "', got: " + e.getMessage());
    }
}
