package dev.trespasser.game.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.MovementSpeed;
import org.junit.jupiter.api.Test;

class InputPacerTest {

    private static final long MS = 1_000_000L;
    /** One 60 Hz frame. */
    private static final long FRAME = 16_666_667L;

    private static final InputCommand WALK_RIGHT = InputCommand.newBuilder()
            .setButtons(8)
            .setSpeed(MovementSpeed.MOVEMENT_SPEED_WALK)
            .setAim(1000)
            .build();

    private final InputPacer pacer = new InputPacer();

    @Test
    void theFirstInputGoesOutAndAnUnchangedOneWaitsForTheFloor() {
        pacer.welcomed(0);
        ClientMessage first = pacer.offer(WALK_RIGHT, 0);
        assertNotNull(first);
        assertEquals(1, first.getInput().getSequence());
        assertEquals(8, first.getInput().getButtons());

        for (int frame = 1; frame <= 5; frame++) {
            assertNull(pacer.offer(WALK_RIGHT, frame * FRAME), "frame " + frame + ": the server holds it");
        }
        assertNull(pacer.offer(WALK_RIGHT, InputPacer.FLOOR_INTERVAL_NANOS - 1));
        ClientMessage floor = pacer.offer(WALK_RIGHT, InputPacer.FLOOR_INTERVAL_NANOS);
        assertNotNull(floor, "100 ms after the last one the same input goes again");
        assertEquals(2, floor.getInput().getSequence());
        assertNull(
                pacer.offer(WALK_RIGHT, InputPacer.FLOOR_INTERVAL_NANOS + FRAME),
                "the floor counts from the last send");
    }

    @Test
    void anUnchangedStreamAt60HzSendsTenFramesASecond() {
        pacer.welcomed(0);
        int sent = 0;
        for (int frame = 0; frame < 60; frame++) {
            if (pacer.offer(WALK_RIGHT, frame * FRAME) != null) {
                sent++;
            }
        }
        assertEquals(10, sent);
    }

    @Test
    void everyChangedFieldGoesOutAtOnce() {
        pacer.welcomed(0);
        pacer.offer(WALK_RIGHT, 0);
        long t = 0;
        InputCommand[] changes = {
            WALK_RIGHT.toBuilder().setButtons(8 | 16).build(),
            WALK_RIGHT.toBuilder()
                    .setButtons(8 | 16)
                    .setSpeed(MovementSpeed.MOVEMENT_SPEED_RUN)
                    .build(),
            WALK_RIGHT.toBuilder()
                    .setButtons(8 | 16)
                    .setSpeed(MovementSpeed.MOVEMENT_SPEED_RUN)
                    .setAim(1001)
                    .build(),
            WALK_RIGHT.toBuilder()
                    .setButtons(8 | 16)
                    .setSpeed(MovementSpeed.MOVEMENT_SPEED_RUN)
                    .setAim(1001)
                    .setThrowDistance(30)
                    .build(),
        };
        int expectedSequence = 1;
        for (InputCommand change : changes) {
            t += FRAME;
            ClientMessage sent = pacer.offer(change, t);
            assertNotNull(sent, change.toString());
            assertEquals(++expectedSequence, sent.getInput().getSequence());
            assertEquals(change.toBuilder().setSequence(expectedSequence).build(), sent.getInput());
            assertNull(pacer.offer(change, t + 1), "the same again is held");
        }
        // Back to the first input: a change too.
        assertNotNull(pacer.offer(WALK_RIGHT, t + FRAME));
    }

    @Test
    void theNewestAckRidesOnTheNextInputOnce() {
        pacer.welcomed(0);
        assertNull(pacer.snapshotApplied(30));
        ClientMessage carrying = pacer.offer(WALK_RIGHT, 0);
        assertTrue(carrying.getInput().hasAckSnapshotTick());
        assertEquals(30, carrying.getInput().getAckSnapshotTick());

        ClientMessage floor = pacer.offer(WALK_RIGHT, InputPacer.FLOOR_INTERVAL_NANOS);
        assertFalse(floor.getInput().hasAckSnapshotTick(), "nothing newer was applied: no ack rides");
    }

    @Test
    void anAckNoInputCarriedGoesAloneWhenTheNextSnapshotArrives() {
        pacer.welcomed(0);
        pacer.offer(WALK_RIGHT, 0);
        assertNull(pacer.snapshotApplied(32));
        assertNull(pacer.offer(WALK_RIGHT, FRAME), "held input: nothing to send, the ack waits");

        ClientMessage alone = pacer.snapshotApplied(34);
        assertNotNull(alone);
        assertEquals(32, alone.getAck().getSnapshotTick());

        ClientMessage next = pacer.offer(WALK_RIGHT.toBuilder().setButtons(4).build(), 2 * FRAME);
        assertEquals(34, next.getInput().getAckSnapshotTick(), "the newest ack rides on the next input sent");
    }

    @Test
    void anOlderOrRepeatedSnapshotAcknowledgesNothingNew() {
        pacer.welcomed(0);
        assertNull(pacer.snapshotApplied(40));
        assertNull(pacer.snapshotApplied(38));
        assertNull(pacer.snapshotApplied(40));
        assertEquals(40, pacer.offer(WALK_RIGHT, 0).getInput().getAckSnapshotTick());
    }

    @Test
    void sequencesContinueAboveWhatTheServerAppliedAfterAReconnect() {
        pacer.welcomed(0);
        for (int i = 0; i < 5; i++) {
            pacer.offer(WALK_RIGHT.toBuilder().setAim(i).build(), i * FRAME);
        }
        assertEquals(5, pacer.lastSequence());
        pacer.snapshotApplied(90);

        // The server applied 3 of them before the drop; the rejoin says so.
        pacer.welcomed(3);
        ClientMessage first = pacer.offer(WALK_RIGHT.toBuilder().setAim(4).build(), 5 * FRAME);
        assertNotNull(first, "the server forgot the held input: the first after a rejoin always goes");
        assertEquals(6, first.getInput().getSequence(), "never reuse 4 and 5: they may still be in flight");
        assertFalse(first.getInput().hasAckSnapshotTick(), "a snapshot of the old connection is no baseline now");

        // A server that applied more than this client remembers (another tab) moves the count up.
        pacer.welcomed(100);
        assertEquals(101, pacer.offer(WALK_RIGHT, 6 * FRAME).getInput().getSequence());
    }

    @Test
    void sequencesCountUnsignedAcrossTheSignBit() {
        pacer.welcomed(Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, pacer.offer(WALK_RIGHT, 0).getInput().getSequence());
        pacer.welcomed(5);
        assertEquals(
                Integer.MIN_VALUE + 1,
                pacer.offer(WALK_RIGHT, MS).getInput().getSequence(),
                "2^31 is above 5 as the wire's uint32 counts");
    }

    @Test
    void theCallersSequenceAndAckAreIgnored() {
        pacer.welcomed(0);
        InputCommand stale =
                WALK_RIGHT.toBuilder().setSequence(77).setAckSnapshotTick(5).build();
        ClientMessage sent = pacer.offer(stale, 0);
        assertEquals(1, sent.getInput().getSequence());
        assertFalse(sent.getInput().hasAckSnapshotTick());
    }
}
