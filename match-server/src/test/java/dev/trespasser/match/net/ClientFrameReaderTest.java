package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The edge's reader of client frames, against well-formed, cut, hostile and random input. */
class ClientFrameReaderTest {

    private static final int MAX = 1024;
    private final ClientFrameReader reader = new ClientFrameReader(MAX);

    @Test
    void aMaskedBinaryFrameIsUnmasked() throws Exception {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7};
        ClientFrameReader.Frame frame = reader.next(ByteBuffer.wrap(clientFrame(0x82, payload, 0x11223344)));
        assertEquals(ServerFrames.OP_BINARY, frame.opcode());
        assertArrayEquals(payload, bytes(frame.payload()));
    }

    @Test
    void lengthsOfSixteenAndSixtyFourBitsAreRead() throws Exception {
        for (int n : new int[] {0, 125, 126, 127, 1000, MAX}) {
            byte[] payload = new byte[n];
            new Random(n).nextBytes(payload);
            byte[] wire = n == MAX ? clientFrame64(0x82, payload) : clientFrame(0x82, payload, 0x0badf00d);
            assertArrayEquals(payload, bytes(reader.next(ByteBuffer.wrap(wire)).payload()), "length " + n);
        }
    }

    @Test
    void aFrameCutAnywhereWaitsForTheRestAndConsumesNothing() throws Exception {
        byte[] wire = clientFrame(0x82, new byte[300], 7);
        for (int cut = 0; cut < wire.length; cut++) {
            ByteBuffer in = ByteBuffer.wrap(wire, 0, cut);
            assertNull(reader.next(in), "cut at " + cut);
            assertEquals(0, in.position(), "nothing consumed at " + cut);
        }
        assertNotNull(reader.next(ByteBuffer.wrap(wire)));
    }

    @Test
    void severalFramesInOneReadComeOutOneByOne() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(clientFrame(0x82, new byte[] {1}, 1));
        wire.writeBytes(clientFrame(0x89, new byte[] {2, 2}, 2));
        wire.writeBytes(clientFrame(0x82, new byte[] {3, 3, 3}, 3));
        ByteBuffer in = ByteBuffer.wrap(wire.toByteArray());
        assertEquals(1, reader.next(in).payload().remaining());
        assertEquals(ServerFrames.OP_PING, reader.next(in).opcode());
        assertArrayEquals(new byte[] {3, 3, 3}, bytes(reader.next(in).payload()));
        assertNull(reader.next(in));
    }

    @Test
    void fragmentsAreReassembledWithControlFramesBetweenThem() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(clientFrame(0x02, new byte[] {1, 2}, 5));
        wire.writeBytes(clientFrame(0x89, new byte[0], 6));
        wire.writeBytes(clientFrame(0x00, new byte[] {3}, 7));
        wire.writeBytes(clientFrame(0x80, new byte[] {4, 5}, 8));
        ByteBuffer in = ByteBuffer.wrap(wire.toByteArray());
        assertEquals(ServerFrames.OP_PING, reader.next(in).opcode());
        ClientFrameReader.Frame message = reader.next(in);
        assertEquals(ServerFrames.OP_BINARY, message.opcode());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, bytes(message.payload()));
    }

    @Test
    void hostileFramesAreProtocolErrors() {
        assertCloses(1002, clientFrame(0xC2, new byte[1], 1), "a reserved bit");
        assertCloses(1002, clientFrame(0x83, new byte[1], 1), "opcode 3");
        assertCloses(1002, clientFrame(0x8B, new byte[1], 1), "opcode 11");
        assertCloses(1002, new byte[] {(byte) 0x82, 0x01, 0x7F}, "an unmasked frame");
        assertCloses(1002, clientFrame(0x09, new byte[1], 1), "a fragmented ping");
        assertCloses(1002, clientFrame(0x80, new byte[1], 1), "a continuation of nothing");
        byte[] twoStarts = concat(clientFrame(0x02, new byte[1], 1), clientFrame(0x02, new byte[1], 1));
        assertThrows(ClientFrameReader.ProtocolException.class, () -> {
            ByteBuffer in = ByteBuffer.wrap(twoStarts);
            reader.next(in);
            reader.next(in);
        });
        byte[] longPing = new byte[2 + 2 + 4 + 126];
        longPing[0] = (byte) 0x89;
        longPing[1] = (byte) (0x80 | 126);
        longPing[3] = 126;
        assertCloses(1002, longPing, "a ping of 126 bytes");
        byte[] negative = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
        assertCloses(1002, negative, "a 64-bit length with its top bit set");
    }

    @Test
    void anOversizedFrameIsRefusedFromItsHeaderAlone() {
        byte[] header = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertCloses(1009, header, "a 2 GB frame announced");
        byte[] justOver = {(byte) 0x82, (byte) (0x80 | 126), (byte) ((MAX + 1) >> 8), (byte) (MAX + 1)};
        assertCloses(1009, justOver, "one byte over the bound");
    }

    @Test
    void fragmentsAddingUpOverTheBoundAreRefused() throws Exception {
        ByteBuffer in =
                ByteBuffer.wrap(concat(clientFrame(0x02, new byte[MAX - 10], 1), clientFrame(0x80, new byte[11], 2)));
        ClientFrameReader.ProtocolException e = assertThrows(ClientFrameReader.ProtocolException.class, () -> {
            reader.next(in);
        });
        assertEquals(1009, e.closeCode());
    }

    /** Random bytes never crash the reader: a frame, a wait for more, or a protocol error. */
    @Test
    void randomInputEndsInAFrameAWaitOrAProtocolError() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            ClientFrameReader fresh = new ClientFrameReader(MAX);
            ByteBuffer in = ByteBuffer.wrap(junk);
            try {
                while (fresh.next(in) != null) {
                    assertTrue(in.position() <= junk.length);
                }
            } catch (ClientFrameReader.ProtocolException e) {
                assertTrue(e.closeCode() == 1002 || e.closeCode() == 1009, "code " + e.closeCode());
            }
        }
    }

    private void assertCloses(int code, byte[] wire, String what) {
        ClientFrameReader.ProtocolException e = assertThrows(
                ClientFrameReader.ProtocolException.class,
                () -> new ClientFrameReader(MAX).next(ByteBuffer.wrap(wire)),
                what);
        assertEquals(code, e.closeCode(), what);
    }

    static byte[] clientFrame(int firstByte, byte[] payload, int mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int n = payload.length;
        if (n <= 125) {
            out.write(0x80 | n);
        } else {
            out.write(0x80 | 126);
            out.write(n >> 8);
            out.write(n);
        }
        byte[] key = ByteBuffer.allocate(4).putInt(mask).array();
        out.writeBytes(key);
        for (int i = 0; i < n; i++) {
            out.write(payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }

    private static byte[] clientFrame64(int firstByte, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(2 + 8 + 4 + payload.length);
        out.put((byte) firstByte)
                .put((byte) (0x80 | 127))
                .putLong(payload.length)
                .putInt(0);
        return out.put(payload).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteBuffer out = ByteBuffer.allocate(a.length + b.length);
        return out.put(a).put(b).array();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
