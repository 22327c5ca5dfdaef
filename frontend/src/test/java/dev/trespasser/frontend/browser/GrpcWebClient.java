package dev.trespasser.frontend.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A browser stand-in on the JDK's HttpClient: gRPC-Web calls framed by hand (flag byte, 4-byte
 * length, message; trailers in a frame with flag 0x80), so the tests see the bytes a browser's
 * gRPC-Web library would send and read.
 */
final class GrpcWebClient {

    static final String SERVICE = "/trespasser.frontend.v1.FrontendService/";
    static final String PROTO = "application/grpc-web+proto";
    static final String TEXT = "application/grpc-web-text";

    final HttpClient http;
    final String base;

    GrpcWebClient(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    /** A client trusting exactly the CA in {@code caFile}, as a browser with the local CA installed. */
    static HttpClient trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static byte[] frame(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(new byte[] {
            (byte) (message.length >>> 24),
            (byte) (message.length >>> 16),
            (byte) (message.length >>> 8),
            (byte) message.length
        });
        out.writeBytes(message);
        return out.toByteArray();
    }

    HttpRequest.Builder post(String method, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + SERVICE + method))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", contentType)
                .header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request;
    }

    /** A unary call with a binary gRPC-Web body: every message and the final status. */
    Reply call(String method, byte[] message, String... headers) throws Exception {
        return send(post(method, PROTO, frame(message), headers).build());
    }

    /** The same in gRPC-Web text: the frames base64 encoded both ways. */
    Reply callText(String method, byte[] message, String... headers) throws Exception {
        byte[] body = Base64.getEncoder().encode(frame(message));
        HttpResponse<byte[]> response =
                http.send(post(method, TEXT, body, headers).build(), HttpResponse.BodyHandlers.ofByteArray());
        return Reply.of(response, decodeChunks(new String(response.body(), StandardCharsets.US_ASCII)));
    }

    Reply send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return Reply.of(response, response.body());
    }

    /** A server may base64 each chunk on its own: decode padded groups one after the other. */
    static byte[] decodeChunks(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String chunk : text.split("(?<==)(?=[^=])")) {
            if (!chunk.isEmpty()) {
                out.writeBytes(Base64.getDecoder().decode(chunk));
            }
        }
        return out.toByteArray();
    }

    /** One frame read off a streaming body, as a browser's reader sees it arrive. */
    record Frame(boolean trailers, byte[] payload) {
        static Frame read(InputStream body) throws IOException {
            DataInputStream in = new DataInputStream(body);
            int flag = in.read();
            if (flag < 0) {
                throw new EOFException("the body ended without a trailer frame");
            }
            int length = in.readInt();
            byte[] payload = in.readNBytes(length);
            assertEquals(length, payload.length, "a whole frame");
            return new Frame((flag & 0x80) != 0, payload);
        }

        Map<String, String> trailerMap() {
            return trailerMap(new String(payload, StandardCharsets.US_ASCII));
        }

        static Map<String, String> trailerMap(String text) {
            Map<String, String> trailers = new LinkedHashMap<>();
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    trailers.put(
                            line.substring(0, colon).trim().toLowerCase(),
                            line.substring(colon + 1).trim());
                }
            }
            return trailers;
        }
    }

    /** What a unary call came back with: HTTP status and headers, messages, gRPC status and message. */
    record Reply(
            int httpStatus, HttpResponse<?> response, List<byte[]> messages, String grpcStatus, String grpcMessage) {

        static Reply of(HttpResponse<?> response, byte[] body) throws IOException {
            List<byte[]> messages = new ArrayList<>();
            Map<String, String> trailers = new LinkedHashMap<>();
            response.headers().firstValue("grpc-status").ifPresent(s -> trailers.put("grpc-status", s));
            response.headers().firstValue("grpc-message").ifPresent(s -> trailers.put("grpc-message", s));
            if (response.statusCode() == 200) {
                InputStream in = new java.io.ByteArrayInputStream(body);
                while (in.available() > 0) {
                    Frame frame = Frame.read(in);
                    if (frame.trailers()) {
                        trailers.putAll(frame.trailerMap());
                    } else {
                        messages.add(frame.payload());
                    }
                }
            }
            return new Reply(
                    response.statusCode(),
                    response,
                    messages,
                    trailers.get("grpc-status"),
                    trailers.getOrDefault("grpc-message", ""));
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }
}
