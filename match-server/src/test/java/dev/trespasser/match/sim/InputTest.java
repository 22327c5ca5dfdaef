package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import org.junit.jupiter.api.Test;

class InputTest {

    private static PlayerInput in(int seq, int buttons, Speed speed) {
        return new PlayerInput(seq, buttons, speed, 0, 0);
    }

    @Test
    void manyInputsInOneTickNeverMoveFasterThanChosenSpeed() {
        Play play = Arena.open(400, 200).duel().place(0, 100, 100);
        for (int seq = 1; seq <= 20; seq++) {
            assertTrue(play.match.submitInput(0, in(seq, PlayerInput.RIGHT, Speed.RUN)));
        }
        play.run(1);
        assertEquals(100 + 100.0 / 60, play.player(0).x(), 1e-9);
        assertEquals(20, play.player(0).lastAppliedSequence());
    }

    @Test
    void duplicateAndStaleSequencesAreIgnored() {
        Play play = Arena.open(400, 200).duel().place(0, 100, 100);
        Match m = play.match;
        assertTrue(m.submitInput(0, in(5, PlayerInput.RIGHT, Speed.WALK)));
        assertFalse(m.submitInput(0, in(5, PlayerInput.LEFT, Speed.RUN)), "same sequence twice");
        play.run(1);
        assertFalse(m.submitInput(0, in(5, PlayerInput.LEFT, Speed.RUN)), "already applied");
        assertFalse(m.submitInput(0, in(3, PlayerInput.LEFT, Speed.RUN)), "older than applied");
        play.run(1);
        assertEquals(100 + 2 * 1.0, play.player(0).x(), 1e-9, "kept walking right with the held input");
        assertEquals(5, play.player(0).lastAppliedSequence());
    }

    @Test
    void outOfOrderArrivalsWithinATickAreAppliedInSequenceOrder() {
        Play play = Arena.open(400, 200).duel().place(0, 100, 100);
        Match m = play.match;
        assertTrue(m.submitInput(0, in(9, PlayerInput.LEFT, Speed.WALK)));
        assertTrue(m.submitInput(0, in(7, PlayerInput.RIGHT, Speed.RUN)));
        play.run(1);
        assertEquals(100 - 1.0, play.player(0).x(), 1e-9, "the newest input (9, walk left) is what is held");
        assertEquals(9, play.player(0).lastAppliedSequence());
        assertFalse(m.submitInput(0, in(8, PlayerInput.RIGHT, Speed.RUN)), "8 arrived after 9 was applied");
    }

    @Test
    void sequencesCountAsUnsignedAcrossTheSignBit() {
        Play play = Arena.open(400, 200).duel().place(0, 100, 100);
        assertTrue(play.match.submitInput(0, in(Integer.MAX_VALUE, 0, Speed.WALK)));
        play.run(1);
        assertTrue(play.match.submitInput(0, in(Integer.MIN_VALUE, 0, Speed.WALK)), "2^31 follows 2^31-1");
        play.run(1);
        assertEquals(1L << 31, play.player(0).lastAppliedSequence());
    }

    @Test
    void theLastInputIsHeldUntilTheNextArrives() {
        // Clients pace their inputs (game-client InputPacer): one input, then none for 100 ms.
        Play play = Arena.open(400, 200).duel().place(0, 100, 100);
        assertTrue(play.match.submitInput(0, new PlayerInput(1, PlayerInput.RIGHT, Speed.RUN, 12_345, 0)));
        play.run(6);
        assertEquals(100 + 6 * 100.0 / 60, play.player(0).x(), 1e-9, "moved every tick with the held input");
        assertEquals(12_345, play.player(0).aim(), "still aiming where the input said");
        assertEquals(1, play.player(0).lastAppliedSequence());

        assertTrue(play.match.submitInput(0, new PlayerInput(2, 0, Speed.RUN, 12_345, 0)));
        play.run(6);
        assertEquals(100 + 6 * 100.0 / 60, play.player(0).x(), 1e-9, "the release holds from the next tick on");
    }

    @Test
    void floodingClientIsRefusedBeyondTheQueue() {
        Play play = Arena.open(400, 200).duel();
        int accepted = 0;
        for (int seq = 1; seq <= 100; seq++) {
            accepted += play.match.submitInput(0, in(seq, 0, Speed.WALK)) ? 1 : 0;
        }
        assertEquals(32, accepted);
    }

    @Test
    void unknownSlotsAndDisconnectedPlayersAreRefused() {
        Play play = Arena.open(400, 200).duel();
        assertFalse(play.match.submitInput(7, in(1, 0, Speed.WALK)));
        assertFalse(play.match.submitInput(-1, in(1, 0, Speed.WALK)));
        play.match.disconnect(1);
        assertFalse(play.match.submitInput(1, in(1, 0, Speed.WALK)));
    }

    @Test
    void unknownButtonBitsAreDropped() {
        assertEquals(PlayerInput.FIRE, new PlayerInput(1, PlayerInput.FIRE | 0x4000, Speed.WALK, 0, 0).buttons());
        assertEquals(0x2345, new PlayerInput(1, 0, Speed.WALK, 0x12345, 0).aim());
    }
}
