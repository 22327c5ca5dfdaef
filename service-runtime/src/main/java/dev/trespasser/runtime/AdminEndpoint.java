package dev.trespasser.runtime;

import dev.trespasser.runtime.http.DeadlineInput;
import dev.trespasser.runtime.http.HeadReader;
import dev.trespasser.runtime.http.MalformedHttpException;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's admin HTTP port: Prometheus metrics from a registry on {@code /metrics} (the text
 * format, or OpenMetrics when the scraper asks for it), {@code /healthz} answering 200 "ok" while
 * the service is serving and 503 with the reason once it is not, and 404 for anything else.
 *
 * <p>One thread accepts and answers connections in turn, one request each ({@code Connection:
 * close}): the port is scraped every few seconds and probed by the kubelet, so nothing here needs
 * concurrency, and a thread that sleeps in {@code accept} costs no wake-ups, where the JDK's
 * HttpServer behind Prometheus' exporter kept a dispatcher and two timer threads awake and loaded
 * ~60 classes into the match process (docs/benchmarks.md, "An admin endpoint of our own"). A request must
 * arrive whole within {@link #REQUEST_DEADLINE_MILLIS}, its head within {@link #MAX_HEAD_BYTES}, so
 * a client that stalls holds the port for at most that long; the answer is handed to the kernel
 * in one write into a send buffer sized for it, so a client that does not read holds nothing.
 */
public final class AdminEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

    /** Request line and headers together; scrapers and probes send a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 8 * 1024;

    static final int MAX_HEADERS = 64;
    static final int REQUEST_DEADLINE_MILLIS = 2_000;

    private final ServerSocket server;
    private final PrometheusRegistry registry;
    private final Supplier<String> unhealthyReason;
    private final ExpositionFormatWriter text = new PrometheusTextFormatWriter(false);
    private final ExpositionFormatWriter openMetrics = new OpenMetricsTextFormatWriter(false, false);
    private final Thread thread;
    /** The connection being answered, closed by {@link #close()} so it cannot hold the thread. */
    private volatile Socket current;

    private AdminEndpoint(int port, PrometheusRegistry registry, Supplier<String> unhealthyReason) throws IOException {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.unhealthyReason = Objects.requireNonNull(unhealthyReason, "unhealthyReason");
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port), 50);
        this.thread = new Thread(this::serve, "admin-http");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts serving on {@code port} (0 lets the system pick one; see {@link #port()}).
     * {@code serving} is asked on every {@code /healthz} request.
     */
    public static AdminEndpoint start(int port, PrometheusRegistry registry, BooleanSupplier serving)
            throws IOException {
        Objects.requireNonNull(serving, "serving");
        return startWithReason(port, registry, () -> serving.getAsBoolean() ? null : "shutting down");
    }

    /**
     * Like {@link #start}, for a service that says why it is unhealthy: {@code unhealthyReason}
     * gives null while healthy, otherwise the text served with the 503.
     */
    public static AdminEndpoint startWithReason(int port, PrometheusRegistry registry, Supplier<String> unhealthyReason)
            throws IOException {
        AdminEndpoint endpoint = new AdminEndpoint(port, registry, unhealthyReason);
        log.debug("admin endpoint: /metrics and /healthz on :{}", endpoint.port());
        return endpoint;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops accepting; a request being answered is cut off. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("admin endpoint: closing: {}", e.toString());
        }
        Socket answering = current;
        if (answering != null) {
            try {
                answering.close();
            } catch (IOException e) {
                log.debug("admin endpoint: closing a connection: {}", e.toString());
            }
        }
        try {
            thread.join(REQUEST_DEADLINE_MILLIS + 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                log.warn("admin endpoint: accept failed: {}", e.toString());
                continue;
            }
            current = socket;
            try (socket) {
                if (server.isClosed()) {
                    return;
                }
                answer(socket);
            } catch (IOException | RuntimeException e) {
                log.debug("admin endpoint: request from {} dropped: {}", socket.getRemoteSocketAddress(), e.toString());
            } finally {
                current = null;
            }
        }
    }

    private void answer(Socket socket) throws IOException {
        long deadline = System.nanoTime() + REQUEST_DEADLINE_MILLIS * 1_000_000L;
        Request request;
        try {
            request = Request.read(new DeadlineInput(socket, deadline, "request not received in time"));
        } catch (SocketTimeoutException e) {
            return; // nothing to answer a client that did not finish asking
        } catch (MalformedHttpException e) {
            send(socket, false, e.isTooLarge() ? 431 : 400, "text/plain; charset=utf-8", utf8(e.getMessage() + "\n"));
            return;
        }
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            send(socket, false, 405, "text/plain; charset=utf-8", utf8("only GET and HEAD are served\n"));
        } else if (request.path().equals("/metrics")) {
            ExpositionFormatWriter writer = openMetrics.accepts(request.accept()) ? openMetrics : text;
            ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
            writer.write(body, registry.scrape());
            send(socket, head, 200, writer.getContentType(), body.toByteArray());
        } else if (request.path().equals("/healthz")) {
            String reason = unhealthyReason.get();
            send(
                    socket,
                    head,
                    reason == null ? 200 : 503,
                    "text/plain; charset=utf-8",
                    utf8((reason == null ? "ok" : reason) + "\n"));
        } else {
            send(socket, head, 404, "text/plain; charset=utf-8", utf8("not found; try /metrics or /healthz\n"));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(Socket socket, boolean headOnly, int status, String contentType, byte[] body)
            throws IOException {
        byte[] head = ("HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                        + "Content-Type: " + contentType + "\r\n"
                        + "Content-Length: " + body.length + "\r\n"
                        + (status == 405 ? "Allow: GET, HEAD\r\n" : "")
                        + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int length = head.length + (headOnly ? 0 : body.length);
        byte[] whole = new byte[length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(body, 0, whole, head.length, length - head.length);
        // Room for the whole answer in the kernel, so the write returns whether or not the client reads.
        socket.setSendBufferSize(Math.max(socket.getSendBufferSize(), length + 4096));
        OutputStream out = socket.getOutputStream();
        out.write(whole);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** The parts of a request this endpoint answers by; the rest of the head is read and checked. */
    record Request(String method, String path, String accept) {

        /** Reads one request head strictly: {@code METHOD /path[?query] HTTP/1.x}, then headers. */
        static Request read(InputStream in) throws IOException {
            HeadReader lines = new HeadReader(in, "request", "request head", MAX_HEAD_BYTES);
            String requestLine = lines.line("request line");
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3
                    || !HeadReader.isToken(parts[0], 0, parts[0].length())
                    || !parts[1].startsWith("/")
                    || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))) {
                throw new MalformedHttpException("malformed request line: " + HeadReader.printable(requestLine));
            }
            for (int i = 0; i < parts[1].length(); i++) {
                char c = parts[1].charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new MalformedHttpException("malformed request target: " + HeadReader.printable(parts[1]));
                }
            }
            String accept = "";
            for (HeadReader.Header header; (header = lines.header(MAX_HEADERS)) != null; ) {
                if (header.name().equals("accept")) {
                    accept = accept.isEmpty() ? header.value() : accept + "," + header.value();
                }
            }
            int query = parts[1].indexOf('?');
            return new Request(parts[0], query < 0 ? parts[1] : parts[1].substring(0, query), accept);
        }
    }
}
