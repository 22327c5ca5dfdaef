package dev.trespasser.match.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP request that opens a WebSocket (RFC 6455 section 4.2.1), read strictly: a {@code GET}
 * over HTTP/1.1 with {@code Upgrade: websocket}, a {@code Connection} header naming {@code
 * upgrade}, version 13 and a key of 16 base64 bytes. Any path is accepted: the join token, not
 * the URL, decides who plays. No extension or subprotocol is agreed to. Pure: bytes in, the
 * answer's bytes out.
 */
final class UpgradeRequest {

    private static final byte[] END_OF_HEADERS = {'\r', '\n', '\r', '\n'};
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What to answer: the 101 that completes the upgrade, or an error status after which the server closes. */
    record Answer(boolean upgraded, byte[] response, String problem) {}

    private UpgradeRequest() {}

    /**
     * Where the request in {@code in} (read mode, from its first byte) ends, just past its blank
     * line, or -1 while it is incomplete.
     */
    static int end(ByteBuffer in) {
        outer:
        for (int i = in.position(); i + END_OF_HEADERS.length <= in.limit(); i++) {
            for (int j = 0; j < END_OF_HEADERS.length; j++) {
                if (in.get(i + j) != END_OF_HEADERS[j]) {
                    continue outer;
                }
            }
            return i + END_OF_HEADERS.length;
        }
        return -1;
    }

    /** Answers the complete request in {@code bytes}. */
    static Answer answer(byte[] bytes) {
        String request = new String(bytes, StandardCharsets.ISO_8859_1);
        String[] lines = request.split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].equals("HTTP/1.1") || requestLine[1].isEmpty()) {
            return refuse(400, "Bad Request", "not an HTTP/1.1 request line");
        }
        if (!requestLine[0].equals("GET")) {
            return refuse(405, "Method Not Allowed", "method " + printable(requestLine[0]) + " is not GET");
        }
        String upgrade = null;
        String connection = null;
        String version = null;
        String key = null;
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                return refuse(400, "Bad Request", "a malformed header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-version" -> version = value;
                case "sec-websocket-key" -> {
                    if (key != null) {
                        return refuse(400, "Bad Request", "two Sec-WebSocket-Key headers");
                    }
                    key = value;
                }
                default -> {
                    // Host, Origin, User-Agent, extensions offered: nothing this server needs.
                }
            }
        }
        if (upgrade == null
                || !hasToken(upgrade, "websocket")
                || connection == null
                || !hasToken(connection, "upgrade")) {
            return refuse(426, "Upgrade Required", "not a WebSocket upgrade");
        }
        if (!"13".equals(version)) {
            return new Answer(
                    false,
                    response("426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n"),
                    "WebSocket version " + printable(String.valueOf(version)) + " instead of 13");
        }
        if (key == null || !isNonce(key)) {
            return refuse(400, "Bad Request", "Sec-WebSocket-Key is not 16 bytes of base64");
        }
        return new Answer(
                true,
                ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                null);
    }

    /** The Sec-WebSocket-Accept value for {@code key} (RFC 6455 section 4.2.2). */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static boolean isNonce(String key) {
        try {
            return key.length() == 24 && Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasToken(String value, String token) {
        for (String part : value.split(",", -1)) {
            if (part.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static Answer refuse(int status, String text, String problem) {
        return new Answer(false, response(status + " " + text, ""), problem);
    }

    private static byte[] response(String status, String headers) {
        return ("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** For messages that quote the request: at most 32 printable ASCII characters. */
    private static String printable(String s) {
        String cut = s.length() > 32 ? s.substring(0, 32) : s;
        return cut.replaceAll("[^ -~]", "?");
    }
}
