package dev.trespasser.match.net;

import java.nio.ByteBuffer;

/**
 * Cuts a client's byte stream into WebSocket frames (RFC 6455 section 5), unmasking in place.
 * Strict: a client frame must be masked, carry no reserved bits (no extension is negotiated) and
 * a known opcode; a control frame must be final and at most 125 bytes. A data frame, or a message
 * reassembled from fragments, longer than the bound is refused with 1009 as soon as its header
 * says so, before its payload is read. One reader per connection; not thread-safe.
 */
final class ClientFrameReader {

    /** A frame or message the reader refuses; the connection closes with {@link #closeCode}. */
    static final class ProtocolException extends Exception {
        private final int closeCode;

        ProtocolException(int closeCode, String message) {
            super(message, null, false, false);
            this.closeCode = closeCode;
        }

        int closeCode() {
            return closeCode;
        }
    }

    /** RFC 6455 close codes the reader uses. */
    static final int PROTOCOL_ERROR = 1002;

    static final int MESSAGE_TOO_BIG = 1009;

    /**
     * One complete message or control frame. {@code payload} is a view into the reader's input
     * (or its reassembly buffer) and is valid only until the next call to {@link #next}.
     */
    record Frame(int opcode, ByteBuffer payload) {}

    private final int maxPayloadBytes;
    /** Opcode of the fragmented message in progress, or -1. */
    private int fragmentedOpcode = -1;

    private ByteBuffer fragments;

    ClientFrameReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The header plus the largest payload a frame may have: how large the input buffer must grow. */
    int maxFrameBytes() {
        return 14 + maxPayloadBytes;
    }

    /**
     * The next complete message or control frame from {@code in} (read mode), or null when more
     * bytes are needed; {@code in}'s position moves past what was consumed. Fragments of a message
     * are consumed and kept until its final fragment.
     */
    Frame next(ByteBuffer in) throws ProtocolException {
        while (true) {
            int start = in.position();
            if (in.remaining() < 2) {
                return null;
            }
            int b0 = in.get(start) & 0xFF;
            int b1 = in.get(start + 1) & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b0 & 0x70) != 0) {
                throw new ProtocolException(PROTOCOL_ERROR, "reserved bits set without an extension");
            }
            boolean control = opcode >= 0x8;
            if (!(opcode <= ServerFrames.OP_BINARY
                    || opcode == ServerFrames.OP_CLOSE
                    || opcode == ServerFrames.OP_PING
                    || opcode == ServerFrames.OP_PONG)) {
                throw new ProtocolException(PROTOCOL_ERROR, "unknown opcode " + opcode);
            }
            if ((b1 & 0x80) == 0) {
                throw new ProtocolException(PROTOCOL_ERROR, "client frames must be masked");
            }
            int length7 = b1 & 0x7F;
            int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
            if (control && (!fin || length7 > 125)) {
                throw new ProtocolException(PROTOCOL_ERROR, "control frames must be final and at most 125 bytes");
            }
            if (in.remaining() < header - 4) {
                return null;
            }
            long length =
                    length7 == 126 ? in.getShort(start + 2) & 0xFFFF : length7 == 127 ? in.getLong(start + 2) : length7;
            if (length < 0) {
                throw new ProtocolException(PROTOCOL_ERROR, "a 64-bit length with its top bit set");
            }
            long soFar = control || fragments == null ? 0 : fragments.position();
            if (length + soFar > maxPayloadBytes) {
                throw new ProtocolException(MESSAGE_TOO_BIG, "frame over " + maxPayloadBytes + " bytes");
            }
            if (in.remaining() < header + length) {
                return null;
            }
            int payloadStart = start + header;
            int n = (int) length;
            unmask(in, start + header - 4, payloadStart, n);
            in.position(payloadStart + n);
            ByteBuffer payload = in.duplicate()
                    .position(payloadStart)
                    .limit(payloadStart + n)
                    .slice();
            if (control) {
                return new Frame(opcode, payload);
            }
            if (opcode == ServerFrames.OP_CONTINUATION) {
                if (fragmentedOpcode < 0) {
                    throw new ProtocolException(PROTOCOL_ERROR, "a continuation frame with no message to continue");
                }
            } else if (fragmentedOpcode >= 0) {
                throw new ProtocolException(PROTOCOL_ERROR, "a new message inside a fragmented one");
            } else if (fin) {
                return new Frame(opcode, payload);
            } else {
                fragmentedOpcode = opcode;
                fragments = ByteBuffer.allocate(Math.min(maxPayloadBytes, Math.max(256, 2 * n)));
            }
            fragments = ensure(fragments, n).put(payload);
            if (fin) {
                Frame message = new Frame(fragmentedOpcode, fragments.flip());
                fragmentedOpcode = -1;
                fragments = null;
                return message;
            }
        }
    }

    private ByteBuffer ensure(ByteBuffer buffer, int more) {
        if (buffer.remaining() >= more) {
            return buffer;
        }
        int size = Math.min(maxPayloadBytes, Math.max(buffer.capacity() * 2, buffer.position() + more));
        return ByteBuffer.allocate(size).put(buffer.flip());
    }

    private static void unmask(ByteBuffer in, int keyAt, int from, int n) {
        byte k0 = in.get(keyAt);
        byte k1 = in.get(keyAt + 1);
        byte k2 = in.get(keyAt + 2);
        byte k3 = in.get(keyAt + 3);
        for (int i = 0; i < n; i++) {
            byte k = switch (i & 3) {
                case 0 -> k0;
                case 1 -> k1;
                case 2 -> k2;
                default -> k3;
            };
            in.put(from + i, (byte) (in.get(from + i) ^ k));
        }
    }
}
