package dev.trespasser.match.testing;

import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.JoinRequest;
import dev.trespasser.proto.game.v1.ServerMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written on a plain socket, so a test controls exactly when it reads: it
 * upgrades, joins, and then may simply stop reading, as a stalled or hostile player would, with a
 * receive buffer as small as the kernel allows so the server's side fills first.
 */
public final class RawWebSocket implements AutoCloseable {

    /** Opcode of a close frame (RFC 6455). */
    private static final int CLOSE = 0x8;

    private static final int PING = 0x9;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects with a tiny receive buffer and completes the upgrade. */
    public static RawWebSocket connect(int port) throws IOException {
        return connect(port, null);
    }

    /** The same from a given local address (any of 127.0.0.0/8 reaches a loopback server). */
    public static RawWebSocket connect(int port, java.net.InetAddress from) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.setTcpNoDelay(true);
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(socket);
        ws.out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder headers = new StringBuilder();
        while (headers.indexOf("\r\n\r\n") < 0) {
            headers.append((char) ws.in.readUnsignedByte());
        }
        if (!headers.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + headers);
        }
        return ws;
    }

    /** Sends a JoinRequest and reads frames up to the Welcome. */
    public ServerMessage join(String token) throws IOException {
        sendBinary(ClientMessage.newBuilder()
                .setJoin(JoinRequest.newBuilder().setToken(token))
                .build()
                .toByteArray());
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                throw new IOException("closed before the Welcome: " + frame.closeCode());
            }
            ServerMessage message = ServerMessage.parseFrom(frame.payload());
            if (message.hasWelcome()) {
                return message;
            }
        }
    }

    /** One masked binary frame, as a client must send it. */
    public void sendBinary(byte[] payload) throws IOException {
        send(0x2, payload);
    }

    /** One masked ping (a control frame: at most 125 bytes). */
    public void sendPing(byte[] payload) throws IOException {
        send(PING, payload);
    }

    private void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        int n = payload.length;
        byte[] frame = new byte[2 + (n > 125 ? 2 : 0) + 4 + n];
        int i = 0;
        frame[i++] = (byte) (0x80 | opcode);
        if (n > 125) {
            frame[i++] = (byte) (0x80 | 126);
            frame[i++] = (byte) (n >>> 8);
            frame[i++] = (byte) n;
        } else {
            frame[i++] = (byte) (0x80 | n);
        }
        System.arraycopy(mask, 0, frame, i, 4);
        i += 4;
        for (int k = 0; k < n; k++) {
            frame[i + k] = (byte) (payload[k] ^ mask[k & 3]);
        }
        out.write(frame);
        out.flush();
    }

    /**
     * Reads (and skips) everything the server queued until its close frame; returns the close code,
     * or -1 when the connection ended without one.
     */
    public int readUntilClose() throws IOException {
        try {
            while (true) {
                Frame frame = readFrame();
                if (frame.opcode() == CLOSE) {
                    return frame.closeCode();
                }
            }
        } catch (EOFException | java.net.SocketException ended) {
            return -1;
        }
    }

    /** The next server message, skipping control frames; fails on a close frame. */
    public ServerMessage readMessage() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                throw new IOException("closed: " + frame.closeCode());
            }
            if (frame.opcode() == 0x2) {
                return ServerMessage.parseFrom(frame.payload());
            }
        }
    }

    private Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length > 1 << 20) {
            throw new IOException("implausible frame length " + length);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }
}
