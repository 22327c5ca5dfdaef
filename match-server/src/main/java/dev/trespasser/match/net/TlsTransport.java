package dev.trespasser.match.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine}: the handshake advances as
 * bytes arrive (delegated tasks run inline: they are a few milliseconds of key exchange, once per
 * connection), and {@link #write} wraps all the frames it is given into as few records as fit,
 * so a tick's snapshot and events go out as one record rather than one each.
 */
final class TlsTransport implements Transport {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Encrypted bytes read and not unwrapped yet (write mode). */
    private ByteBuffer netIn;
    /** Decrypted bytes not handed to a reader yet (read mode). */
    private ByteBuffer appIn;
    /** Encrypted bytes waiting for room on the socket (read mode). */
    private ByteBuffer netOut;

    private boolean established;

    TlsTransport(SocketChannel channel, SSLEngine engine) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize())
                .flip();
        this.netOut = ByteBuffer.allocate(packet).flip();
        engine.beginHandshake();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (true) {
            total += drainAppIn(dst);
            if (!dst.hasRemaining()) {
                return total;
            }
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn.compact());
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (result.getStatus()) {
                case OK -> {
                    advance(result.getHandshakeStatus());
                    if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
                        continue;
                    }
                    int n = channel.read(netIn);
                    if (n <= 0) {
                        return n < 0 && total == 0 ? -1 : total;
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    int n = channel.read(netIn);
                    if (n <= 0) {
                        return n < 0 && total == 0 ? -1 : total;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    if (appIn.hasRemaining()) {
                        continue;
                    }
                    appIn = grow(appIn.compact(), engine.getSession().getApplicationBufferSize())
                            .flip();
                }
                case CLOSED -> {
                    // The peer's close_notify: answer it, then this side is done too.
                    advance(result.getHandshakeStatus());
                    return total > 0 ? total : -1;
                }
            }
        }
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flushNet()) {
            return;
        }
        while (hasRemaining(srcs, offset, length)) {
            SSLEngineResult result = wrap(srcs, offset, length);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS is closed");
            }
            advance(result.getHandshakeStatus());
            if (!flushNet() || result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return;
            }
        }
    }

    @Override
    public int pendingBytes() {
        return netOut.remaining();
    }

    @Override
    public boolean buffered() {
        return appIn.hasRemaining() || netIn.position() > 0;
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public void close() {
        try {
            engine.closeOutbound();
            wrap(NOTHING, 0, 1);
            flushNet();
        } catch (IOException | RuntimeException e) {
            // Best effort: the socket closes either way.
        }
        Transport.closeSocket(channel);
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    /** Runs the handshake's own steps: its tasks and the records it must send. */
    private void advance(HandshakeStatus status) throws IOException {
        while (true) {
            switch (status) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    status = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    SSLEngineResult result = wrap(NOTHING, 0, 1);
                    flushNet();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW
                            || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return;
                    }
                    status = result.getHandshakeStatus();
                }
                case FINISHED -> {
                    established = true;
                    status = engine.getHandshakeStatus();
                }
                default -> {
                    if (status == HandshakeStatus.NOT_HANDSHAKING && !engine.isInboundDone()) {
                        established = true;
                    }
                    return;
                }
            }
        }
    }

    private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        netOut.compact();
        try {
            return engine.wrap(srcs, offset, length, netOut);
        } finally {
            netOut.flip();
        }
    }

    /** Writes pending records; true when none is left. */
    private boolean flushNet() throws IOException {
        if (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    private int drainAppIn(ByteBuffer dst) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        if (n == 0) {
            return 0;
        }
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        return n;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
        return bigger.put(buffer.flip());
    }
}
