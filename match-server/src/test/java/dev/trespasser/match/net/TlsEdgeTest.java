package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.match.testing.RawWebSocket;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.match.testing.TestTls;
import dev.trespasser.peers.tls.LocalCertificateAuthority;
import dev.trespasser.proto.game.v1.Welcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The players' endpoint over TLS, with a certificate from a local CA as PEM files (the shape
 * cert-manager writes): a wss:// player trusting that CA joins and plays; a plaintext client, a
 * client that trusts another CA, garbage bytes, a client hello cut short and an oversized
 * encrypted upgrade are turned away without touching the players, and the connection caps still
 * apply before the TLS handshake.
 */
class TlsEdgeTest {

    private static final String MATCH = "m-tls";
    private static final int PER_ADDRESS = 4;

    @TempDir
    Path folder;

    private final TestKeys keys = new TestKeys();
    private final MatchServerMetrics metrics = new MatchServerMetrics();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<BotClient> players = new ArrayList<>();
    private LocalCertificateAuthority ca;
    private SSLContext trustingTheCa;
    private GameSocketServer server;
    private MatchRoom room;

    @BeforeEach
    void startServer() throws Exception {
        ca = LocalCertificateAuthority.create(folder.resolve("ca"), "tls-edge-test-ca");
        LocalCertificateAuthority.IssuedCertificate issued =
                ca.issue("gameserver", List.of("localhost"), List.of("127.0.0.1"));
        ServerTls tls = ServerTls.fromPemFiles(issued.certificateFile(), issued.keyFile());
        trustingTheCa = trusting(ca);
        server = new GameSocketServer(
                0,
                keys.verifier(),
                metrics,
                EdgeLimits.defaults()
                        .withHandshakeTimeout(Duration.ofSeconds(3))
                        .withConnectionCaps(PER_ADDRESS, 32),
                Optional.of(tls));
        server.start();
        room = MatchRoom.open(
                TestRooms.allocation(MATCH, "1v1", "alice", "bob"),
                RoomConfig.defaults(),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (BotClient p : players) {
            p.closeBlocking();
        }
        room.close();
        server.close();
    }

    @Test
    void wssPlayersTrustingTheCaJoinAndPlay() throws Exception {
        BotClient alice = player(wss("127.0.0.1"), trustingTheCa, 1);
        BotClient bob = player(wss("localhost"), trustingTheCa, 2);
        Welcome welcome = alice.join(keys.token("alice", MATCH));
        assertEquals("alice", welcome.getPlayerId());
        assertEquals("bob", bob.join(keys.token("bob", MATCH)).getPlayerId());
        awaitPlaying(alice, bob);
    }

    @Test
    void aDroppedWssPlayerIsNoticedAndRejoinsWithTheSameToken() throws Exception {
        String token = keys.token("alice", MATCH);
        BotClient alice = player(wss("127.0.0.1"), trustingTheCa, 1);
        BotClient bob = player(wss("127.0.0.1"), trustingTheCa, 2);
        int slot = alice.join(token).getSlot();
        bob.join(keys.token("bob", MATCH));
        awaitPlaying(alice, bob);

        // Gone without a WebSocket close (TLS close_notify and FIN, as a closing tab's socket).
        alice.closeConnection(1006, "dropped");
        await(() -> server.connectionCount() == 1);
        BotClient again = player(wss("127.0.0.1"), trustingTheCa, 1);
        assertEquals(slot, again.join(token).getSlot(), "back in the same slot over wss");

        // Cut without even a TLS close: the socket is reset.
        Socket raw = (Socket) again.getSocket();
        raw.setSoLinger(true, 0);
        raw.close();
        await(() -> server.connectionCount() == 1);
        assertEquals(
                slot, player(wss("127.0.0.1"), trustingTheCa, 1).join(token).getSlot());
    }

    @Test
    void theHandshakeIsTls13WithOneSuiteAndATls12OnlyClientIsRefused() throws Exception {
        SSLSocket modern = (SSLSocket) trustingTheCa.getSocketFactory().createSocket("127.0.0.1", server.port());
        sockets.add(modern);
        modern.startHandshake();
        assertEquals("TLSv1.3", modern.getSession().getProtocol());
        assertEquals("TLS_AES_128_GCM_SHA256", modern.getSession().getCipherSuite());

        SSLSocket old = (SSLSocket) trustingTheCa.getSocketFactory().createSocket("127.0.0.1", server.port());
        sockets.add(old);
        old.setEnabledProtocols(new String[] {"TLSv1.2"});
        // The refusal is a protocol_version alert the 1.2-only client may not even parse as one.
        assertThrows(SSLException.class, old::startHandshake, "TLS 1.2 is not offered");

        SSLSocket otherSuite = (SSLSocket) trustingTheCa.getSocketFactory().createSocket("127.0.0.1", server.port());
        sockets.add(otherSuite);
        otherSuite.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"});
        assertThrows(SSLException.class, otherSuite::startHandshake, "only TLS_AES_128_GCM_SHA256");
    }

    @Test
    void aPlaintextClientGetsNoWebSocket() throws Exception {
        BotClient plain = player(URI.create("ws://127.0.0.1:" + server.port() + "/"), null, 3);
        assertThrows(Exception.class, () -> plain.join(keys.token("alice", MATCH)));
        assertFalse(plain.isOpen());

        // The raw upgrade request: the TLS layer refuses it, no HTTP answer comes back.
        try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
            fail("a plaintext upgrade was accepted");
        } catch (IOException expected) {
            // closed during the upgrade
        }
        await(() -> server.openSocketCount() == 0);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        LocalCertificateAuthority other = LocalCertificateAuthority.create(folder.resolve("other"), "another-ca");
        BotClient stranger = player(wss("127.0.0.1"), trusting(other), 4);
        assertThrows(Exception.class, () -> stranger.join(keys.token("alice", MATCH)));
        assertFalse(stranger.isOpen());
        SSLSocket socket = (SSLSocket) trusting(other).getSocketFactory().createSocket("127.0.0.1", server.port());
        sockets.add(socket);
        assertThrows(SSLHandshakeException.class, socket::startHandshake, "the certificate is not trusted");
    }

    @Test
    void garbageAndCutShortHandshakesDoNotHurtThePlayers() throws Exception {
        BotClient alice = player(wss("127.0.0.1"), trustingTheCa, 1);
        BotClient bob = player(wss("127.0.0.1"), trustingTheCa, 2);
        alice.join(keys.token("alice", MATCH));
        bob.join(keys.token("bob", MATCH));
        awaitPlaying(alice, bob);

        // Random bytes instead of a client hello: the TLS layer fails the read, the socket closes.
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3; i++) {
            Socket garbage = connect("127.0.0.2");
            byte[] bytes = new byte[4096];
            random.nextBytes(bytes);
            garbage.getOutputStream().write(bytes);
            assertClosedByServer(garbage, 3_000);
        }

        // A client hello cut in half, then silence: held until the handshake timeout, then closed.
        byte[] hello = clientHello();
        Socket halfHello = connect("127.0.0.3");
        halfHello.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
        halfHello.getOutputStream().flush();
        assertClosedByServer(halfHello, 10_000);
        await(() -> refused("handshake_timeout") >= 1.0);

        // A whole client hello and no more: the same timeout applies to the rest of the handshake.
        Socket wholeHello = connect("127.0.0.3");
        wholeHello.getOutputStream().write(hello);
        wholeHello.getOutputStream().flush();
        assertClosedByServer(wholeHello, 10_000);

        int before = alice.snapshots() + bob.snapshots();
        await(() -> {
            alice.play();
            bob.play();
            return alice.snapshots() + bob.snapshots() > before + 20;
        });
        assertTrue(alice.isOpen() && bob.isOpen(), "the players' connections were not touched");
    }

    @Test
    void theConnectionCapsApplyBeforeTheTlsHandshake() throws Exception {
        byte[] hello = clientHello();
        for (int i = 0; i < PER_ADDRESS; i++) {
            Socket s = connect("127.0.0.4");
            s.getOutputStream().write(Arrays.copyOf(hello, 10));
        }
        try {
            Socket over = connect("127.0.0.4");
            assertClosedByServer(over, 2_000);
        } catch (SocketException resetWhileConnecting) {
            // refused right at the accept
        }
        assertEquals(1.0, refused("too_many_from_address"));

        // A player from another address still gets in over TLS.
        BotClient alice = player(wss("127.0.0.1"), trustingTheCa, 1);
        assertEquals("alice", alice.join(keys.token("alice", MATCH)).getPlayerId());
    }

    @Test
    void anOversizedUpgradeRequestInsideTlsIsRefused() throws Exception {
        SSLSocket socket = (SSLSocket) trustingTheCa.getSocketFactory().createSocket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ").getBytes(StandardCharsets.US_ASCII));
        byte[] padding = new byte[1024];
        Arrays.fill(padding, (byte) 'a');
        try {
            for (int i = 0; i < 64; i++) {
                out.write(padding);
            }
            out.flush();
        } catch (IOException closedWhileWriting) {
            // the server closed as soon as the limit was passed
        }
        assertClosedByServer(socket, 3_000);
        await(() -> refused("handshake_too_large") >= 1.0);
        await(() -> server.openSocketCount() == 0);
    }

    private BotClient player(URI uri, SSLContext tls, long seed) {
        BotClient p = new BotClient(uri, tls, seed);
        players.add(p);
        return p;
    }

    private URI wss(String host) {
        return URI.create("wss://" + host + ":" + server.port() + "/");
    }

    private static void awaitPlaying(BotClient alice, BotClient bob) throws InterruptedException {
        await(() -> {
            alice.play();
            bob.play();
            return alice.snapshots() > 5 && bob.snapshots() > 5;
        });
    }

    private double refused(String reason) {
        return MetricValues.counter(metrics.registry(), "trespasser_match_connections_refused", "reason", reason);
    }

    /** The first flight of a real TLS client (the JDK's), addressed to this server. */
    private byte[] clientHello() throws Exception {
        SSLEngine engine = trustingTheCa.createSSLEngine("127.0.0.1", server.port());
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertTrue(hello.length > 100, "a client hello is a few hundred bytes");
        assertEquals(0x16, hello[0], "a TLS handshake record");
        return hello;
    }

    private static SSLContext trusting(LocalCertificateAuthority authority) {
        return TestTls.trusting(authority.caCertificate());
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
        return socket;
    }

    /** The server closes (or resets) the socket within {@code millis}; whatever it sent first is read. */
    private static void assertClosedByServer(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // a TLS alert may come first
            }
        } catch (SocketException reset) {
            // reset
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server left the connection open");
        } catch (IOException closedDuringTls) {
            assertNotNull(closedDuringTls.getMessage());
        }
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(10);
        }
    }
}
