package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The HTTP upgrade request, read strictly: what a browser sends, and what it must not. */
class UpgradeRequestTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void theRfcExampleGetsTheRfcAcceptKey() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeRequest.accept(KEY));
        UpgradeRequest.Answer answer = answer(request(
                "GET /play HTTP/1.1",
                "Host: game.example:7777",
                "Upgrade: websocket",
                "Connection: keep-alive, Upgrade",
                "Sec-WebSocket-Key: " + KEY,
                "Sec-WebSocket-Version: 13",
                "Origin: https://play.example",
                "Sec-WebSocket-Extensions: permessage-deflate"));
        assertTrue(answer.upgraded(), answer.problem());
        String response = new String(answer.response(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
        assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), response);
        assertFalse(response.contains("Extensions"), "no extension is agreed to");
    }

    @Test
    void headerNamesAndTokensAreCaseInsensitive() {
        assertTrue(answer(request(
                        "GET / HTTP/1.1",
                        "UPGRADE: WebSocket",
                        "connection: UPGRADE",
                        "sec-websocket-key:" + KEY,
                        "SEC-WEBSOCKET-VERSION: 13"))
                .upgraded());
    }

    @Test
    void requestsThatAreNotAnUpgradeAreRefusedWithAStatus() {
        assertRefused(
                400,
                request(
                        "GET / HTTP/1.0",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 13"));
        assertRefused(
                405,
                request(
                        "POST / HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 13"));
        assertRefused(426, request("GET / HTTP/1.1", "Host: x"));
        assertRefused(
                426,
                request(
                        "GET / HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: keep-alive",
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 13"));
        assertRefused(
                426,
                request(
                        "GET / HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 8"));
        assertRefused(
                400,
                request(
                        "GET / HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: c2hvcnQ=",
                        "Sec-WebSocket-Version: 13"));
        assertRefused(
                400,
                request(
                        "GET / HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: ########################",
                        "Sec-WebSocket-Version: 13"));
        assertRefused(
                400,
                request(
                        "GET / HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 13"));
        assertRefused(
                400,
                request(
                        "GET / HTTP/1.1",
                        "Upgrade: websocket",
                        " folded: header",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 13"));
        assertRefused(400, request("GET  HTTP/1.1"));
        assertRefused(400, request("\u0000\u0001garbage"));
    }

    @Test
    void theEndOfTheRequestIsFoundOnlyAfterItsBlankLine() {
        byte[] whole = request("GET / HTTP/1.1", "Host: x").getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut < whole.length; cut++) {
            assertEquals(-1, UpgradeRequest.end(ByteBuffer.wrap(whole, 0, cut)), "cut at " + cut);
        }
        assertEquals(whole.length, UpgradeRequest.end(ByteBuffer.wrap(whole)));
    }

    /** Random bytes never throw: every complete request gets an answer. */
    @Test
    void randomRequestsAreAnsweredNotThrown() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            UpgradeRequest.Answer answer = UpgradeRequest.answer(junk);
            assertFalse(answer.upgraded());
            assertTrue(new String(answer.response(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 4"));
        }
    }

    private static void assertRefused(int status, String request) {
        UpgradeRequest.Answer answer = answer(request);
        assertFalse(answer.upgraded(), request);
        String response = new String(answer.response(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.contains("Connection: close\r\n"), response);
    }

    private static UpgradeRequest.Answer answer(String request) {
        return UpgradeRequest.answer(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String request(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }
}
