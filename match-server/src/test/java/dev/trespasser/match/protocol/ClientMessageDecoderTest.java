package dev.trespasser.match.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.wire.PendingAck;
import dev.trespasser.match.sim.PlayerInput;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.MovementSpeed;
import dev.trespasser.proto.game.v1.RestartVote;
import dev.trespasser.proto.game.v1.SnapshotAck;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClientMessageDecoderTest {

    @Test
    void inputBecomesASimulationInput() throws Exception {
        ClientCommand c = ClientMessageDecoder.decode(input(InputCommand.newBuilder()
                .setSequence(7)
                .setButtons(PlayerInput.UP | PlayerInput.FIRE)
                .setSpeed(MovementSpeed.MOVEMENT_SPEED_RUN)
                .setAim(40000)
                .setThrowDistance(30)));
        assertEquals(
                new PlayerInput(7, PlayerInput.UP | PlayerInput.FIRE, Speed.RUN, 40000, 30),
                ((ClientCommand.Input) c).input());
    }

    @Test
    void anAckRidesOnAnInputOnlyWhenPresent() throws Exception {
        ClientCommand.Input carrying = (ClientCommand.Input) ClientMessageDecoder.decode(
                input(InputCommand.newBuilder().setSequence(3).setAckSnapshotTick(0)));
        assertEquals(new ClientCommand.Ack(0), carrying.ack(), "tick 0 is a tick: presence, not value, decides");
        ClientCommand.Input unsigned = (ClientCommand.Input) ClientMessageDecoder.decode(
                input(InputCommand.newBuilder().setSequence(3).setAckSnapshotTick(-5)));
        assertEquals(new ClientCommand.Ack(-5), unsigned.ack(), "uint32 ticks pass through as the SnapshotAck's do");
        assertEquals(
                null,
                ((ClientCommand.Input) ClientMessageDecoder.decode(
                                input(InputCommand.newBuilder().setSequence(3))))
                        .ack());
    }

    @Test
    void pendingAckRidesOnTheNextInputOrGoesAloneWhenTheNextSnapshotComesFirst() {
        PendingAck pending = new PendingAck();
        assertEquals(null, pending.snapshotApplied(10), "the first ack waits for an input");
        ClientMessage input =
                pending.withInput(InputCommand.newBuilder().setSequence(1).build());
        assertEquals(10, input.getInput().getAckSnapshotTick());
        assertFalse(
                pending.withInput(InputCommand.newBuilder().setSequence(2).build())
                        .getInput()
                        .hasAckSnapshotTick(),
                "an ack rides once");
        assertEquals(null, pending.snapshotApplied(12));
        ClientMessage alone = pending.snapshotApplied(14);
        assertEquals(12, alone.getAck().getSnapshotTick(), "no input came between two snapshots: the ack goes alone");
        assertEquals(
                14,
                pending.withInput(InputCommand.newBuilder().setSequence(3).build())
                        .getInput()
                        .getAckSnapshotTick());
    }

    @Test
    void unspecifiedSpeedWalks() throws Exception {
        ClientCommand c =
                ClientMessageDecoder.decode(input(InputCommand.newBuilder().setSequence(1)));
        assertEquals(Speed.WALK, ((ClientCommand.Input) c).input().speed());
    }

    @Test
    void hugeThrowDistanceIsClamped() throws Exception {
        ClientCommand c = ClientMessageDecoder.decode(
                input(InputCommand.newBuilder().setSequence(1).setThrowDistance(-1)));
        assertEquals(
                ClientMessageDecoder.MAX_THROW_DISTANCE,
                ((ClientCommand.Input) c).input().throwDistance());
    }

    @Test
    void ackVoteAndJoinDecode() throws Exception {
        assertEquals(
                new ClientCommand.Ack(99),
                ClientMessageDecoder.decode(ClientMessage.newBuilder()
                        .setAck(SnapshotAck.newBuilder().setSnapshotTick(99))
                        .build()
                        .toByteArray()));
        assertEquals(
                new ClientCommand.Vote(),
                ClientMessageDecoder.decode(ClientMessage.newBuilder()
                        .setVote(RestartVote.getDefaultInstance())
                        .build()
                        .toByteArray()));
        assertEquals(
                new ClientCommand.Join("t.o.k", 1),
                ClientMessageDecoder.decode(ClientMessage.newBuilder()
                        .setJoin(JoinRequest.newBuilder().setToken("t.o.k"))
                        .build()
                        .toByteArray()));
    }

    @Test
    void onlyInputsAndAcksMayBeDroppedAboveTheFrameRate() throws Exception {
        assertTrue(ClientMessageDecoder.decode(input(InputCommand.newBuilder().setSequence(1)))
                .supersededByNext());
        assertTrue(new ClientCommand.Ack(1).supersededByNext());
        assertFalse(new ClientCommand.Vote().supersededByNext(), "a vote is sent once");
        assertFalse(new ClientCommand.Join("t", 1).supersededByNext());
    }

    @Test
    void emptyFrameIsMalformed() {
        assertRejected(ErrorReason.ERROR_REASON_MALFORMED_FRAME, new byte[0]);
        assertRejected(
                ErrorReason.ERROR_REASON_MALFORMED_FRAME,
                ClientMessage.getDefaultInstance().toByteArray());
    }

    @Test
    void unknownKindIsMalformed() {
        // Field 9 is not a kind this server knows: parsed as an unknown field, leaving no kind set.
        assertRejected(ErrorReason.ERROR_REASON_MALFORMED_FRAME, new byte[] {(byte) (9 << 3), 1});
    }

    @Test
    void oversizedFrameIsMalformed() {
        byte[] frame = ClientMessage.newBuilder()
                .setJoin(JoinRequest.newBuilder().setToken("x".repeat(2000)))
                .build()
                .toByteArray();
        assertRejected(ErrorReason.ERROR_REASON_MALFORMED_FRAME, frame);
    }

    @Test
    void truncatedMessageIsMalformed() {
        byte[] frame =
                input(InputCommand.newBuilder().setSequence(300).setAim(1234).setButtons(3));
        assertRejected(ErrorReason.ERROR_REASON_MALFORMED_FRAME, Arrays.copyOf(frame, frame.length - 1));
    }

    @Test
    void outOfRangeFieldsAreRejected() {
        assertRejected(
                ErrorReason.ERROR_REASON_MALFORMED_FRAME,
                input(InputCommand.newBuilder().setAim(65536)));
        assertRejected(
                ErrorReason.ERROR_REASON_MALFORMED_FRAME,
                input(InputCommand.newBuilder().setButtons(64)));
        assertRejected(
                ErrorReason.ERROR_REASON_MALFORMED_FRAME,
                input(InputCommand.newBuilder().setSpeedValue(9)));
        assertRejected(
                ErrorReason.ERROR_REASON_BAD_TOKEN,
                ClientMessage.newBuilder()
                        .setJoin(JoinRequest.getDefaultInstance())
                        .build()
                        .toByteArray());
        assertRejected(
                ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION,
                ClientMessage.newBuilder()
                        .setJoin(JoinRequest.newBuilder().setToken("a").setProtocolVersion(2))
                        .build()
                        .toByteArray());
    }

    @Test
    void invalidUtf8TokenIsMalformed() {
        // ClientMessage.join { token: bytes C3 28 }, which no UTF-8 string encodes to.
        byte[] frame = {0x0A, 4, 0x0A, 2, (byte) 0xC3, 0x28};
        assertRejected(ErrorReason.ERROR_REASON_MALFORMED_FRAME, frame);
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButARejection() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] valid = input(InputCommand.newBuilder()
                .setSequence(5)
                .setButtons(17)
                .setAim(300)
                .setThrowDistance(4));
        for (int i = 0; i < 50_000; i++) {
            byte[] frame;
            if (i % 2 == 0) {
                frame = new byte[random.nextInt(1, 64)];
                random.nextBytes(frame);
            } else {
                frame = valid.clone();
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            try {
                ClientMessageDecoder.decode(frame);
            } catch (FrameRejectedException expected) {
                // the one way out
            }
        }
    }

    private static byte[] input(InputCommand.Builder in) {
        return ClientMessage.newBuilder().setInput(in).build().toByteArray();
    }

    private static void assertRejected(ErrorReason reason, byte[] frame) {
        FrameRejectedException e = assertThrows(FrameRejectedException.class, () -> ClientMessageDecoder.decode(frame));
        assertEquals(reason, e.reason(), e.getMessage());
        assertInstanceOf(String.class, e.getMessage());
    }
}
