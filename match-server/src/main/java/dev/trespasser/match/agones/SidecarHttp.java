package dev.trespasser.match.agones;

import static dev.trespasser.runtime.http.HeadReader.printable;

import dev.trespasser.runtime.http.DeadlineInput;
import dev.trespasser.runtime.http.HeadReader;
import dev.trespasser.runtime.http.MalformedHttpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 to the Agones sidecar's gateway: one plain socket per exchange ({@code Connection:
 * close}), written and read on the calling thread. The sidecar is on localhost and is called a few
 * times a match (Ready, Allocate, Shutdown, labels, players) plus a health ping every few seconds,
 * so a connection per call costs nothing that matters, while the JDK's HttpClient cost the match
 * process ~300 classes, a selector thread that woke several times a second, and their memory
 * (docs/benchmarks.md, "The image as measured").
 *
 * <p>Replies are read strictly and bounded: a status line and headers of at most {@link
 * #MAX_HEAD_BYTES} and {@link #MAX_HEADERS}, a body framed by {@code Content-Length}, by {@code
 * Transfer-Encoding: chunked}, or by the end of the connection, never by two of them at once.
 * Anything else fails the exchange with an {@link IOException} that says what was wrong.
 */
final class SidecarHttp {
    /** Status line and headers together: Go's net/http writes a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    static final int MAX_HEADERS = 64;
    /** A chunk-size line with its extensions. */
    static final int MAX_CHUNK_LINE_BYTES = 1024;
    /** Informational (1xx) heads skipped before the reply's own. */
    private static final int MAX_INFORMATIONAL_HEADS = 4;

    private final String host;
    private final int port;
    private final Duration timeout;

    SidecarHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /**
     * Sends one request and reads the reply's head. {@code body} null sends none (a GET); {@code
     * streaming} lifts the deadline once the head is read, for a reply that lasts as long as its
     * reader wants it (a watch). The caller reads the body and closes the reply.
     */
    Reply exchange(String method, String path, String body, boolean streaming) throws IOException {
        Socket socket = new Socket();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            writeRequest(socket.getOutputStream(), method, path, body);
            DeadlineInput in = new DeadlineInput(socket, deadline, "the sidecar did not answer in time");
            Head head = readHead(in);
            if (streaming) {
                in.lift();
            }
            return new Reply(socket, head.status(), body(head, in));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void writeRequest(OutputStream out, String method, String path, String body) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(160)
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\nConnection: close\r\n");
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(payload.length)
                    .append("\r\n");
        }
        request.append("\r\n");
        byte[] head = request.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[head.length + payload.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(payload, 0, whole, head.length, payload.length);
        out.write(whole);
        out.flush();
    }

    /** The reply's status and the headers that frame its body. */
    record Head(int status, long contentLength, boolean chunked) {}

    /** Reads heads until one that is not informational (1xx). */
    static Head readHead(InputStream in) throws IOException {
        for (int i = 0; i <= MAX_INFORMATIONAL_HEADS; i++) {
            Head head = readOneHead(in);
            if (head.status() >= 200) {
                return head;
            }
        }
        throw new MalformedHttpException("more than " + MAX_INFORMATIONAL_HEADS + " informational replies");
    }

    private static Head readOneHead(InputStream in) throws IOException {
        HeadReader lines = new HeadReader(in, "reply", "reply head", MAX_HEAD_BYTES);
        String statusLine = lines.line("status line");
        int status = parseStatusLine(statusLine);
        long contentLength = -1;
        String transferEncoding = null;
        for (HeadReader.Header header; (header = lines.header(MAX_HEADERS)) != null; ) {
            String value = header.value();
            if (header.name().equals("content-length")) {
                long length = parseContentLength(value);
                if (contentLength >= 0 && contentLength != length) {
                    throw new MalformedHttpException("two different Content-Length headers");
                }
                contentLength = length;
            } else if (header.name().equals("transfer-encoding")) {
                if (transferEncoding != null || !value.equalsIgnoreCase("chunked")) {
                    throw new MalformedHttpException("unsupported Transfer-Encoding: " + printable(value));
                }
                transferEncoding = value;
            }
        }
        boolean chunked = transferEncoding != null;
        if (chunked && contentLength >= 0) {
            throw new MalformedHttpException("both Content-Length and Transfer-Encoding");
        }
        return new Head(status, contentLength, chunked);
    }

    /** {@code HTTP/1.x NNN reason}: the version is 1.0 or 1.1, the code three digits. */
    static int parseStatusLine(String line) throws MalformedHttpException {
        if (line.length() < 12
                || !(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 "))
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new MalformedHttpException("malformed status line: " + printable(line));
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedHttpException("malformed status line: " + printable(line));
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw new MalformedHttpException("status out of range: " + status);
        }
        return status;
    }

    private static long parseContentLength(String value) throws MalformedHttpException {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedHttpException("malformed Content-Length: " + printable(value));
        }
        return Long.parseLong(value);
    }

    /** The body of a reply with this head, framed as the head says, read from {@code in}. */
    static InputStream body(Head head, InputStream in) {
        if (head.status() == 204 || head.status() == 304) {
            return InputStream.nullInputStream();
        }
        if (head.chunked()) {
            return new ChunkedBody(in);
        }
        if (head.contentLength() >= 0) {
            return new LengthBody(in, head.contentLength());
        }
        return in; // framed by the end of the connection
    }

    /** A reply whose head was read: its status and its body, framed. Closing it closes the socket. */
    static final class Reply implements AutoCloseable {
        private final Socket socket;
        private final int status;
        private final InputStream body;

        Reply(Socket socket, int status, InputStream body) {
            this.socket = socket;
            this.status = status;
            this.body = body;
        }

        int status() {
            return status;
        }

        InputStream body() {
            return body;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A body read from the connection's input as its framing says; single bytes go through the bulk read. */
    private abstract static class FramedBody extends InputStream {
        final InputStream in;

        FramedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public final void close() throws IOException {
            in.close();
        }
    }

    /** A body of exactly {@code length} bytes; the connection ending earlier is an error. */
    private static final class LengthBody extends FramedBody {
        private final long length;
        private long left;

        LengthBody(InputStream in, long length) {
            super(in);
            this.length = length;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new MalformedHttpException("reply cut at " + (length - left) + " of " + length + " bytes");
            }
            left -= n;
            return n;
        }
    }

    /** {@code Transfer-Encoding: chunked}, strictly: hex sizes, CRLF after each chunk, trailers read. */
    private static final class ChunkedBody extends FramedBody {
        private long chunkLeft;
        private boolean done;

        ChunkedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                chunkLeft = readChunkSize();
                if (chunkLeft == 0) {
                    readTrailers();
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new MalformedHttpException("reply cut inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                expectLineEnd();
            }
            return n;
        }

        private long readChunkSize() throws IOException {
            String line = new HeadReader(in, "reply", "chunk-size line", MAX_CHUNK_LINE_BYTES).line("chunk size");
            int end = line.indexOf(';');
            String hex = (end < 0 ? line : line.substring(0, end)).strip();
            if (hex.isEmpty() || hex.length() > 8) {
                throw new MalformedHttpException("malformed chunk size: " + printable(line));
            }
            long size = 0;
            for (int i = 0; i < hex.length(); i++) {
                int digit = Character.digit(hex.charAt(i), 16);
                if (digit < 0) {
                    throw new MalformedHttpException("malformed chunk size: " + printable(line));
                }
                size = size * 16 + digit;
            }
            return size;
        }

        private void expectLineEnd() throws IOException {
            int first = in.read();
            if (first == '\r') {
                first = in.read();
            }
            if (first != '\n') {
                throw new MalformedHttpException("chunk not followed by CRLF");
            }
        }

        private void readTrailers() throws IOException {
            HeadReader lines = new HeadReader(in, "reply", "trailers", MAX_HEAD_BYTES);
            for (int i = 0; ; i++) {
                if (lines.line("trailer").isEmpty()) {
                    return;
                }
                if (i == MAX_HEADERS) {
                    throw new MalformedHttpException("more than " + MAX_HEADERS + " trailers");
                }
            }
        }
    }
}
