package dev.trespasser.match.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The frames a server sends (RFC 6455 section 5.2): final, unmasked, a header of 2, 4 or 10 bytes. */
final class ServerFrames {

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    /** Close reasons are limited to 123 bytes by RFC 6455 (125 of payload less the code). */
    static final int MAX_REASON_BYTES = 120;

    private ServerFrames() {}

    static ByteBuffer binary(byte[] payload) {
        return frame(OP_BINARY, ByteBuffer.wrap(payload));
    }

    static ByteBuffer pong(ByteBuffer pingPayload) {
        return frame(OP_PONG, pingPayload);
    }

    static ByteBuffer ping() {
        return frame(OP_PING, ByteBuffer.allocate(0));
    }

    /** A close frame with {@code code} and {@code reason} cut to {@link #MAX_REASON_BYTES} of ASCII if longer. */
    static ByteBuffer close(int code, String reason) {
        byte[] text = truncate(reason).getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + text.length)
                .putShort((short) code)
                .put(text)
                .flip();
        return frame(OP_CLOSE, payload);
    }

    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.US_ASCII).replaceAll("[^ -~]", "?");
    }

    private static ByteBuffer frame(int opcode, ByteBuffer payload) {
        int n = payload.remaining();
        int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + n);
        frame.put((byte) (0x80 | opcode));
        if (n <= 125) {
            frame.put((byte) n);
        } else if (n <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) n);
        } else {
            frame.put((byte) 127).putLong(n);
        }
        return frame.put(payload).flip();
    }
}
