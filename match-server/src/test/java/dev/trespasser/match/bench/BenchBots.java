package dev.trespasser.match.bench;

import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.TestTls;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's players, in a process of their own so the server's RSS and CPU are its own:
 * {@code BenchBots <port> <warmupSeconds> <measureSeconds> <token>...}. Each bot decides every
 * tick (60 Hz) and paces its inputs like a real client, or sends every one with
 * {@code -Dbench.everyInput=true} (the worst case); it acks every snapshot; after the warmup it measures for the window and
 * prints one line per bot: {@code bot <slot> down <bytes> up <bytes> snapshots <n> seconds <s>}, counted as WebSocket
 * frames, and before them one line for all bots together, {@code wire down <bytes> up <bytes> seconds <s>}: the TCP
 * payload of their sockets from the kernel ({@code ss -ti}), i.e. with the TLS records' overhead when there is TLS.
 * With {@code -Dbench.tlsCa=<ca.crt>} the bots connect over wss:// trusting that CA only.
 */
public final class BenchBots {

    /** The PEM certificate of the CA the bots trust; set, they connect over wss://. */
    static final String TLS_CA_PROPERTY = "bench.tlsCa";

    private static final Pattern BYTES_SENT = Pattern.compile("\\bbytes_sent:(\\d+)");
    private static final Pattern BYTES_RECEIVED = Pattern.compile("\\bbytes_received:(\\d+)");

    private BenchBots() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int measure = Integer.parseInt(args[2]);
        String ca = System.getProperty(TLS_CA_PROPERTY);
        List<BotClient> bots = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            BotClient bot = ca == null
                    ? new BotClient(port, i)
                    : new BotClient(URI.create("wss://127.0.0.1:" + port + "/"), TestTls.trusting(Path.of(ca)), i);
            bot.everyInput(BotClient.everyInputSetting(false));
            bot.join(args[i]);
            bots.add(bot);
        }
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        driver.scheduleAtFixedRate(() -> bots.forEach(BotClient::play), 0, 16_667, TimeUnit.MICROSECONDS);
        System.out.println("joined " + bots.size());
        Thread.sleep(warmup * 1000L);
        long[] down = new long[bots.size()];
        long[] up = new long[bots.size()];
        int[] snaps = new int[bots.size()];
        for (int i = 0; i < bots.size(); i++) {
            down[i] = bots.get(i).bytesDown();
            up[i] = bots.get(i).bytesUp();
            snaps[i] = bots.get(i).snapshots();
        }
        long[] wireBefore = wireBytes(port);
        long start = System.nanoTime();
        Thread.sleep(measure * 1000L);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] wireAfter = wireBytes(port);
        System.out.printf(
                "wire down %d up %d seconds %.2f%n",
                wireAfter[1] - wireBefore[1], wireAfter[0] - wireBefore[0], seconds);
        for (int i = 0; i < bots.size(); i++) {
            BotClient b = bots.get(i);
            System.out.printf(
                    "bot %d down %d up %d snapshots %d seconds %.2f open %b%n",
                    b.slot(),
                    b.bytesDown() - down[i],
                    b.bytesUp() - up[i],
                    b.snapshots() - snaps[i],
                    seconds,
                    b.isOpen());
        }
        driver.shutdownNow();
        for (BotClient b : bots) {
            b.closeBlocking();
        }
        System.exit(0);
    }

    /**
     * TCP payload bytes {sent, received} so far over every established socket of this machine to
     * the server's port (the bots' own: the port is the server's ephemeral one), from the kernel's
     * tcp_info via {@code ss}; {-1, -1} (a difference of 0) when {@code ss} is not there.
     */
    private static long[] wireBytes(int port) throws InterruptedException {
        try {
            Process ss = new ProcessBuilder("ss", "-tinH", "state", "established", "dport", "=", ":" + port)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (ss.waitFor() != 0) {
                return new long[] {-1, -1};
            }
            return new long[] {sum(BYTES_SENT.matcher(out)), sum(BYTES_RECEIVED.matcher(out))};
        } catch (IOException noSs) {
            return new long[] {-1, -1};
        }
    }

    private static long sum(Matcher matcher) {
        long sum = 0;
        while (matcher.find()) {
            sum += Long.parseLong(matcher.group(1));
        }
        return sum;
    }
}
