package dev.trespasser.runtime.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input, buffered, failing once a deadline has passed: each read waits at most the
 * time left, so a peer that trickles a byte at a time cannot hold an exchange past its deadline.
 * {@link #lift()} ends the deadline, for a reply that streams as long as its reader wants it.
 */
public final class DeadlineInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;
    private final String lateMessage;
    private boolean lifted;

    /**
     * @param deadline a {@link System#nanoTime()} instant
     * @param lateMessage the {@link SocketTimeoutException}'s message once it has passed
     */
    public DeadlineInput(Socket socket, long deadline, String lateMessage) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.deadline = deadline;
        this.lateMessage = lateMessage;
    }

    public void lift() throws IOException {
        lifted = true;
        socket.setSoTimeout(0);
    }

    private void arm() throws IOException {
        if (lifted) {
            return;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException(lateMessage);
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read() throws IOException {
        if (in.available() == 0) {
            arm();
        }
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (in.available() == 0) {
            arm();
        }
        return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
