package dev.trespasser.match.agones;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sidecar client's HTTP framing against raw bytes: what Go's net/http sends is read, and
 * cut, oversized, ambiguous and hostile replies fail with a message instead of hanging or
 * buffering without bound.
 */
class SidecarHttpTest {

    @Test
    void readsFixedLengthChunkedAndCloseFramedBodies() throws IOException {
        assertEquals("{}", body("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
        assertEquals(
                "{\"a\":1}\n",
                body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\n{\"a\r\n5;ext=1\r\n\":1}\n\r\n0\r\nTrailer: x\r\n\r\n"));
        assertEquals("until close", body("HTTP/1.0 200 OK\r\n\r\nuntil close"));
        // A bare LF ends a line too (RFC 9112 lets a recipient accept it); extra bytes after the body are not read.
        assertEquals("ok", body("HTTP/1.1 200 OK\nContent-Length: 2\n\nokEXTRA"));
        assertEquals("", body("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void informationalHeadsAreSkipped() throws IOException {
        assertEquals("{}", body("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
        assertRefused(
                "informational",
                "HTTP/1.1 100 Continue\r\n\r\n".repeat(6) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void malformedHeadsAreRefused() {
        assertRefused("status line", "HTTP/2 200 OK\r\n\r\n");
        assertRefused("status line", "HTTP/1.1 2x0 OK\r\n\r\n");
        assertRefused("status line", "HTTP/1.1 200OK\r\n\r\n");
        assertRefused("status line", "ICY 200 OK\r\n\r\n");
        assertRefused("status out of range", "HTTP/1.1 099 Odd\r\n\r\n");
        assertRefused("malformed header", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n");
        assertRefused("malformed header", "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n");
        assertRefused("malformed header", "HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n");
        assertRefused("malformed header", "HTTP/1.1 200 OK\r\n folded: continuation\r\n\r\n");
        assertRefused("bare CR", "HTTP/1.1 200 OK\r\nA: b\rC: d\r\n\r\n");
        assertRefused("control character", "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n");
        assertRefused("cut inside its status line", "HTTP/1.1 200");
        assertRefused("ended before its header", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
        assertRefused("ended before its status line", "");
    }

    @Test
    void ambiguousFramingIsRefused() {
        assertRefused("malformed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assertRefused("malformed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n");
        assertRefused("malformed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n");
        assertRefused("malformed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}");
        assertRefused(
                "two different Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
        assertRefused(
                "both Content-Length and Transfer-Encoding",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertRefused("unsupported Transfer-Encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        assertRefused(
                "unsupported Transfer-Encoding",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    }

    @Test
    void cutAndHostileBodiesAreRefused() {
        assertRefused("reply cut at 3 of 10 bytes", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertRefused("malformed chunk size", chunked + "zz\r\nab\r\n0\r\n\r\n");
        assertRefused("malformed chunk size", chunked + "\r\n");
        assertRefused("malformed chunk size", chunked + "-1\r\n");
        assertRefused("malformed chunk size", chunked + "fffffffff\r\n");
        assertRefused("chunk not followed by CRLF", chunked + "2\r\nabcd\r\n0\r\n\r\n");
        assertRefused("cut inside a chunk", chunked + "a\r\nabc");
        assertRefused("reply ended before its chunk size", chunked + "2\r\nab\r\n");
        assertRefused("cut inside its chunk size", chunked + "2\r\nab\r\n1");
        assertRefused("ended before its trailer", chunked + "0\r\nTrailer: x\r\n");
        assertRefused(
                "longer than", chunked + "1;" + "x".repeat(SidecarHttp.MAX_CHUNK_LINE_BYTES) + "\r\na\r\n0\r\n\r\n");
    }

    @Test
    void oversizedHeadsAreRefusedWithoutReadingThemWhole() {
        assertRefused(
                "longer than " + SidecarHttp.MAX_HEAD_BYTES,
                "HTTP/1.1 200 OK\r\nX: " + "a".repeat(SidecarHttp.MAX_HEAD_BYTES) + "\r\n\r\n");
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i <= SidecarHttp.MAX_HEADERS; i++) {
            many.append("X-").append(i).append(": y\r\n");
        }
        assertRefused(
                "more than " + SidecarHttp.MAX_HEADERS + " headers",
                many.append("\r\n").toString());
        // An endless head from a hostile peer: refused once the budget is spent, not read to the end.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }
        };
        IOException e = assertThrows(IOException.class, () -> SidecarHttp.readHead(endless));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButIoException() {
        Random random = new Random(14);
        byte[] valid = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{}\r\n\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 20_000; i++) {
            byte[] input = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                input = java.util.Arrays.copyOf(input, random.nextInt(input.length));
            }
            try {
                read(input);
            } catch (IOException expected) {
                // refused with a message: fine
            }
        }
    }

    @Test
    void aSidecarThatStallsFailsTheCallAtItsTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    // One byte every 100 ms: every read succeeds, the whole never arrives.
                    for (byte b :
                            "HTTP/1.1 200 OK\r\nX: slow slow slow slow slow\r\n".getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the client gave up first
                }
            });
            SidecarHttp http = new SidecarHttp("127.0.0.1", server.getLocalPort(), Duration.ofMillis(800));
            long begin = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> http.exchange("POST", "/health", "{}", false));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertInstanceOf(SocketTimeoutException.class, e, e.toString());
            assertTrue(millis < 3_000, "gave up after " + millis + " ms, not at its 800 ms deadline");
            trickle.cancel(true);
        }
    }

    @Test
    void sendsOneWellFormedRequestPerExchange() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    byte[] request = new byte[4096];
                    int n = 0;
                    String text = "";
                    while (!text.endsWith("{\"x\":\"é\"}")) {
                        n += s.getInputStream().read(request, n, request.length - n);
                        text = new String(request, 0, n, StandardCharsets.UTF_8);
                    }
                    s.getOutputStream()
                            .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                                    .getBytes(StandardCharsets.US_ASCII));
                    return text;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            SidecarHttp http = new SidecarHttp("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(5));
            try (SidecarHttp.Reply reply = http.exchange("PUT", "/metadata/label", "{\"x\":\"é\"}", false)) {
                assertEquals(200, reply.status());
                assertArrayEquals(
                        "{}".getBytes(StandardCharsets.US_ASCII), reply.body().readAllBytes());
            }
            assertEquals(
                    "PUT /metadata/label HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort()
                            + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n"
                            + "{\"x\":\"é\"}",
                    seen.get(5, TimeUnit.SECONDS));
        }
    }

    private static String body(String reply) throws IOException {
        return new String(read(reply.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.UTF_8);
    }

    private static byte[] read(byte[] reply) throws IOException {
        InputStream in = new ByteArrayInputStream(reply);
        SidecarHttp.Head head = SidecarHttp.readHead(in);
        return SidecarHttp.body(head, in).readNBytes(1 << 16);
    }

    private static void assertRefused(String expected, String reply) {
        IOException e = assertThrows(IOException.class, () -> body(reply), () -> "accepted: " + reply);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
