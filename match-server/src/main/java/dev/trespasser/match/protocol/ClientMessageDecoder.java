package dev.trespasser.match.protocol;

import com.google.protobuf.CodedInputStream;
import dev.trespasser.game.movement.Speed;
import dev.trespasser.match.sim.PlayerInput;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.JoinRequest;
import java.nio.ByteBuffer;

/**
 * Turns one binary frame into a {@link ClientCommand}, or rejects it. Bounded: the frame size is
 * checked before parsing, nesting is shallow, and every field is validated, so a hostile frame
 * costs at most a parse of {@link #MAX_FRAME_BYTES} bytes and never throws anything but
 * {@link FrameRejectedException}.
 */
public final class ClientMessageDecoder {

    /**
     * Inputs, acks and votes are under 30 bytes; a join carries an Ed25519 JWT of about 300
     * bytes with a short player id (ids may be up to 256 characters).
     */
    public static final int MAX_FRAME_BYTES = 1024;

    public static final int MAX_TOKEN_CHARS = 900;
    public static final int PROTOCOL_VERSION = 1;
    /** Charges fly at most the throw range (40 by default); anything larger is clamped here. */
    public static final int MAX_THROW_DISTANCE = 1024;

    private ClientMessageDecoder() {}

    public static ClientCommand decode(ByteBuffer frame) throws FrameRejectedException {
        if (frame == null || !frame.hasRemaining()) {
            throw malformed("empty frame");
        }
        if (frame.remaining() > MAX_FRAME_BYTES) {
            throw malformed("frame of " + frame.remaining() + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        ClientMessage message;
        try {
            CodedInputStream in = CodedInputStream.newInstance(frame.duplicate());
            in.setRecursionLimit(4);
            in.setSizeLimit(MAX_FRAME_BYTES);
            message = ClientMessage.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (Exception e) {
            // Protobuf reports malformed input as InvalidProtocolBufferException; anything else
            // thrown while parsing hostile bytes is treated the same way, never let out.
            throw malformed("not a ClientMessage: " + e.getClass().getSimpleName());
        }
        return switch (message.getKindCase()) {
            case JOIN -> join(message.getJoin());
            case INPUT -> input(message.getInput());
            case ACK -> new ClientCommand.Ack(message.getAck().getSnapshotTick());
            case VOTE -> new ClientCommand.Vote();
            case KIND_NOT_SET -> throw malformed("ClientMessage carries no known kind");
        };
    }

    public static ClientCommand decode(byte[] frame) throws FrameRejectedException {
        return decode(ByteBuffer.wrap(frame));
    }

    private static ClientCommand join(JoinRequest join) throws FrameRejectedException {
        String token = join.getToken();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new FrameRejectedException(
                    ErrorReason.ERROR_REASON_BAD_TOKEN, "join token must be 1-" + MAX_TOKEN_CHARS + " characters");
        }
        int version = join.getProtocolVersion();
        if (version != 0 && version != PROTOCOL_VERSION) {
            throw new FrameRejectedException(
                    ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION,
                    "protocol version " + Integer.toUnsignedString(version) + " is not supported (use "
                            + PROTOCOL_VERSION + ")");
        }
        return new ClientCommand.Join(token, PROTOCOL_VERSION);
    }

    private static ClientCommand input(InputCommand in) throws FrameRejectedException {
        if ((in.getButtons() & ~PlayerInput.ALL_BUTTONS) != 0) {
            throw malformed("unknown button bits " + Integer.toHexString(in.getButtons()));
        }
        if ((in.getAim() & ~0xFFFF) != 0) {
            throw malformed("aim " + Integer.toUnsignedString(in.getAim()) + " is not a 16-bit angle");
        }
        Speed speed = switch (in.getSpeed()) {
            case MOVEMENT_SPEED_SNEAK -> Speed.SNEAK;
            // Proto3 drops a zero enum: a client that leaves the speed out walks.
            case MOVEMENT_SPEED_WALK, MOVEMENT_SPEED_UNSPECIFIED -> Speed.WALK;
            case MOVEMENT_SPEED_RUN -> Speed.RUN;
            case UNRECOGNIZED -> throw malformed("unknown movement speed " + in.getSpeedValue());
        };
        long distance = Integer.toUnsignedLong(in.getThrowDistance());
        int throwDistance = (int) Math.min(distance, MAX_THROW_DISTANCE);
        return new ClientCommand.Input(
                new PlayerInput(in.getSequence(), in.getButtons(), speed, in.getAim(), throwDistance),
                in.hasAckSnapshotTick() ? new ClientCommand.Ack(in.getAckSnapshotTick()) : null);
    }

    private static FrameRejectedException malformed(String message) {
        return new FrameRejectedException(ErrorReason.ERROR_REASON_MALFORMED_FRAME, message);
    }
}
