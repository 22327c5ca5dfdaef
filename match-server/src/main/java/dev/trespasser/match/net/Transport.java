package dev.trespasser.match.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What a connection's bytes travel over: the accepted socket itself, or TLS on it ({@link
 * TlsTransport}). Non-blocking: reads take what has arrived, writes what the socket takes now.
 * Called by one thread at a time (the connection's lock).
 */
interface Transport {

    /** Reads what has arrived into {@code dst}: the count (0 when nothing), or -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes as much of {@code srcs} as the socket takes now; the rest stays in them (or in the transport). */
    void write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Bytes taken from callers but not yet on the socket (encrypted records waiting for room). */
    int pendingBytes();

    /** Whether bytes were taken off the socket that a read has not returned yet (TLS records). */
    boolean buffered();

    /** Whether application bytes can flow (a TLS handshake has finished). */
    boolean established();

    /** Sends what closing needs (TLS: close_notify, best effort) and closes the socket. */
    void close();

    SocketChannel channel();

    /** The accepted socket as it is: plaintext (ws://). */
    static Transport plain(SocketChannel channel) {
        return new Transport() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return channel.read(dst);
            }

            @Override
            public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                channel.write(srcs, offset, length);
            }

            @Override
            public int pendingBytes() {
                return 0;
            }

            @Override
            public boolean buffered() {
                return false;
            }

            @Override
            public boolean established() {
                return true;
            }

            @Override
            public void close() {
                closeSocket(channel);
            }

            @Override
            public SocketChannel channel() {
                return channel;
            }
        };
    }

    /** Closes the socket; a failure to close leaves nothing to do with it. */
    static void closeSocket(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing: nothing left to do with it.
        }
    }
}
