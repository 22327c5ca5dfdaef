package dev.trespasser.match.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attack: {@value #ATTACK_SOCKETS} sockets in three kinds from {@value #ATTACK_ADDRESSES}
 * addresses (so both the per-address and the total cap are met), opened while every upgraded
 * one sends pings until the server closes it, and is replaced by a fresh one.
 */
public final class ConnectionFlood {
    private static final int ATTACK_SOCKETS = 2_000;
    private static final int ATTACK_ADDRESSES = 200;
    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private final List<Socket> attack = new ArrayList<>();

    /**
     * Arguments: the server's port and the flood's seconds. Prints {@code flood opened N pings M}
     * and exits. A process of its own, so a test can run it at low priority: on a shared machine
     * the attacker must not win by taking the server's CPU, which an attacker elsewhere could not.
     */
    public static void main(String[] args) throws Exception {
        ConnectionFlood flood = new ConnectionFlood(Integer.parseInt(args[0]));
        flood.run(Duration.ofSeconds(Long.parseLong(args[1])));
        System.out.println("flood opened " + flood.opened.get() + " pings " + flood.pings.get());
        for (Socket s : flood.attack) {
            s.close();
        }
    }

    private final int port;
    final AtomicLong opened = new AtomicLong();
    final AtomicLong pings = new AtomicLong();
    private final ConcurrentLinkedQueue<Socket> pingers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();

    ConnectionFlood(int port) {
        this.port = port;
    }

    void run(Duration window) throws Exception {
        long end = System.nanoTime() + window.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        threads.execute(() -> {
            for (int n = 0; n < ATTACK_SOCKETS && System.nanoTime() < end; n++) {
                int i = next.getAndIncrement();
                Socket s = open(i);
                if (s != null && i % 3 == 2) {
                    pingers.add(s);
                }
            }
        });
        for (int t = 0; t < 2; t++) {
            threads.execute(() -> pingUntil(end));
        }
        threads.shutdown();
        if (!threads.awaitTermination(window.toSeconds() + 20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the flood did not stop");
        }
    }

    /** Bursts of pings on one pinger at a time; one the server closed is replaced by a fresh one. */
    private void pingUntil(long end) {
        byte[] ping = maskedPing();
        while (System.nanoTime() < end) {
            Socket s = pingers.poll();
            if (s == null) {
                Thread.onSpinWait();
                continue;
            }
            try {
                OutputStream out = s.getOutputStream();
                for (int k = 0; k < 20; k++) {
                    out.write(ping);
                }
                pings.addAndGet(20);
                pingers.add(s);
            } catch (IOException closedByServer) {
                closeQuietly(s);
                int i = next.getAndIncrement();
                Socket fresh = open(i - i % 3 + 2);
                if (fresh != null) {
                    pingers.add(fresh);
                }
            }
        }
    }

    /** One attack socket of kind {@code i % 3}: idle, half an upgrade, or upgraded (then pinging). */
    private Socket open(int i) {
        Socket s = new Socket();
        synchronized (attack) {
            attack.add(s);
        }
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.1." + (1 + i % ATTACK_ADDRESSES)), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            opened.incrementAndGet();
            switch (i % 3) {
                case 1 -> s.getOutputStream().write(UPGRADE.substring(0, 40).getBytes(StandardCharsets.US_ASCII));
                case 2 -> s.getOutputStream().write(UPGRADE.getBytes(StandardCharsets.US_ASCII));
                default -> {}
            }
            return s;
        } catch (IOException refusedOrReset) {
            opened.incrementAndGet();
            return null;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already reset by the server
        }
    }

    private byte[] maskedPing() {
        // Header, mask, payload: a masked ping with the largest payload a control frame may carry.
        byte[] frame = new byte[2 + 4 + 125];
        ThreadLocalRandom.current().nextBytes(frame);
        frame[0] = (byte) 0x89;
        frame[1] = (byte) (0x80 | 125);
        return frame;
    }
}
