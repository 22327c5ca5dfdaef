package dev.trespasser.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.runtime.http.MalformedHttpException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The admin port's request reader and its one thread against malformed, oversized and stalling clients. */
class AdminEndpointHostileInputTest {

    /** Sends {@code request} raw and reads the whole answer (the endpoint closes after each). */
    private static String exchange(AdminEndpoint admin, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", admin.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws IOException {
        try (AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), () -> true)) {
            String answer = exchange(admin, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.contains("Content-Length: 3\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\n"), answer);
        }
    }

    @Test
    void otherMethodsAreRefusedWithTheAllowedOnes() throws IOException {
        try (AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), () -> true)) {
            String answer = exchange(admin, "POST /healthz HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
            assertTrue(answer.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), answer);
            assertTrue(answer.contains("Allow: GET, HEAD\r\n"), answer);
        }
    }

    @Test
    void scrapersAskingForOpenMetricsGetIt() throws IOException {
        try (AdminEndpoint admin = AdminEndpoint.start(0, AdminEndpointTest.registryWithThreeEvents(), () -> true)) {
            String open = exchange(
                    admin,
                    "GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text;version=1.0.0,"
                            + "text/plain;version=0.0.4;q=0.5\r\n\r\n");
            assertTrue(open.contains("Content-Type: application/openmetrics-text"), open);
            assertTrue(open.contains("trespasser_test_events_total 3.0\n"), open);
            assertTrue(open.endsWith("# EOF\n"), open);

            String plain = exchange(admin, "GET /metrics?name[]=trespasser_test_events HTTP/1.0\r\n\r\n");
            assertTrue(plain.contains("Content-Type: text/plain; version=0.0.4"), plain);
            assertTrue(plain.contains("trespasser_test_events_total 3.0\n"), plain);
        }
    }

    @Test
    void malformedRequestsGetA400ThatSaysWhy() throws IOException {
        try (AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), () -> true)) {
            String[][] cases = {
                {"GET /healthz\r\n\r\n", "malformed request line"},
                {"GET /healthz HTTP/2\r\n\r\n", "malformed request line"},
                {"GET healthz HTTP/1.1\r\n\r\n", "malformed request line"},
                {"G(T /healthz HTTP/1.1\r\n\r\n", "malformed request line"},
                {"GET  /healthz HTTP/1.1\r\n\r\n", "malformed request line"},
                {"GET /he\u00e9lthz HTTP/1.1\r\n\r\n", "malformed request target"},
                {"GET /healthz HTTP/1.1\r\nno colon\r\n\r\n", "malformed header line"},
                {"GET /healthz HTTP/1.1\r\n folded: x\r\n\r\n", "malformed header line"},
                {"GET /healthz HTTP/1.1\r\nA: b\rC: d\r\n\r\n", "bare CR"},
                {"GET /healthz HTTP/1.1\r\nA: \u0000\r\n\r\n", "control character"},
                {"GET /healthz HTTP/1.1\r\nHost: x\r\n", "request ended before its header"},
            };
            for (String[] c : cases) {
                String answer = exchange(admin, c[0]);
                assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), () -> c[0] + " -> " + answer);
                assertTrue(answer.contains(c[1]), () -> c[0] + " -> " + answer);
            }
            String empty = exchange(admin, "");
            assertTrue(
                    empty.startsWith("HTTP/1.1 400 ") && empty.contains("request ended before its request line"),
                    empty);
        }
    }

    @Test
    void oversizedHeadsGetA431WithoutBeingReadWhole() throws IOException {
        try (AdminEndpoint admin = AdminEndpoint.start(0, new PrometheusRegistry(), () -> true)) {
            String big = exchange(
                    admin, "GET /healthz HTTP/1.1\r\nX: " + "a".repeat(AdminEndpoint.MAX_HEAD_BYTES) + "\r\n\r\n");
            assertTrue(big.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), big);
            assertTrue(big.contains("request head longer than " + AdminEndpoint.MAX_HEAD_BYTES + " bytes"), big);

            StringBuilder many = new StringBuilder("GET /healthz HTTP/1.1\r\n");
            for (int i = 0; i <= AdminEndpoint.MAX_HEADERS; i++) {
                many.append("X-").append(i).append(": y\r\n");
            }
            String answer = exchange(admin, many.append("\r\n").toString());
            assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
            assertTrue(answer.contains("more than " + AdminEndpoint.MAX_HEADERS + " headers"), answer);
        }
        // An endless head: refused once the budget is spent.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }
        };
        MalformedHttpException e =
                assertThrows(MalformedHttpException.class, () -> AdminEndpoint.Request.read(endless));
        assertTrue(e.isTooLarge(), e.getMessage());
    }

    @Test
    void aClientThatStallsOrDoesNotReadHoldsThePortNoLongerThanTheDeadline() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        // ~100 KB of metrics: more than a default send buffer.
        for (int i = 0; i < 2_000; i++) {
            String name = "trespasser_test_series_" + i;
            registry.register(() -> CounterSnapshot.builder()
                    .name(name)
                    .help("A series padding the scrape to well past one send buffer")
                    .dataPoint(CounterDataPointSnapshot.builder().value(1).build())
                    .build());
        }
        try (AdminEndpoint admin = AdminEndpoint.start(0, registry, () -> true);
                Socket silent = new Socket("127.0.0.1", admin.port());
                Socket nonReader = new Socket("127.0.0.1", admin.port())) {
            silent.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            nonReader.setReceiveBufferSize(4096);
            nonReader.getOutputStream().write("GET /metrics HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Answered once the silent client's deadline has passed and the non-reader's answer is
            // in the kernel; the exchange's own 10 s read timeout fails the test otherwise.
            String answer = exchange(admin, "GET /healthz HTTP/1.1\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertEquals(-1, silent.getInputStream().read(), "the stalled request was closed unanswered");
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButMalformedHttpException() {
        Random random = new Random(14);
        String[] seeds = {
            "GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: text/plain\r\n\r\n", "HEAD /healthz HTTP/1.0\r\n\r\n",
        };
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = seeds[i % seeds.length].getBytes(StandardCharsets.ISO_8859_1);
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            int cut = random.nextInt(5) == 0 ? random.nextInt(bytes.length) : bytes.length;
            try {
                AdminEndpoint.Request request = AdminEndpoint.Request.read(new ByteArrayInputStream(bytes, 0, cut));
                assertTrue(request.path().startsWith("/"), request.toString());
            } catch (IOException expected) {
                assertInstanceOf(MalformedHttpException.class, expected);
            }
        }
    }
}
