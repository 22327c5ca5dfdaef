package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The server's own frame header (RFC 6455 5.2) at each length-encoding boundary. */
class BinaryFrameTest {

    @Test
    void headersAtEachLengthBoundary() {
        assertFrame(0, 2);
        assertFrame(125, 2);
        assertFrame(126, 4);
        assertFrame(65_535, 4);
        assertFrame(65_536, 10);
    }

    private static void assertFrame(int length, int headerBytes) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 7);
        ByteBuffer frame = ServerFrames.binary(payload);
        assertEquals(headerBytes + length, frame.remaining());
        assertEquals((byte) 0x82, frame.get(0), "FIN + binary opcode");
        int marker = frame.get(1) & 0xFF;
        assertEquals(0, marker & 0x80, "a server never masks");
        long decoded = switch (headerBytes) {
            case 2 -> marker;
            case 4 -> {
                assertEquals(126, marker);
                yield frame.getShort(2) & 0xFFFF;
            }
            default -> {
                assertEquals(127, marker);
                yield frame.getLong(2);
            }
        };
        assertEquals(length, decoded);
        byte[] body = new byte[length];
        frame.get(headerBytes, body);
        assertArrayEquals(payload, body);
    }
}
