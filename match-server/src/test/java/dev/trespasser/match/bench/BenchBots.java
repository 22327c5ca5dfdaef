package dev.trespasser.match.bench;

import dev.trespasser.match.testing.BotClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's players, in a process of their own so the server's RSS and CPU are its own:
 * {@code BenchBots <port> <warmupSeconds> <measureSeconds> <token>...}. Each bot decides every
 * tick (60 Hz) and paces its inputs like a real client, or sends every one with
 * {@code -Dbench.everyInput=true} (the worst case); it acks every snapshot; after the warmup it measures for the window and
 * prints one line per bot: {@code bot <slot> down <bytes> up <bytes> snapshots <n> seconds <s>}.
 */
public final class BenchBots {

    private BenchBots() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int measure = Integer.parseInt(args[2]);
        List<BotClient> bots = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            BotClient bot = new BotClient(port, i).everyInput(BotClient.everyInputSetting(false));
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
        long start = System.nanoTime();
        Thread.sleep(measure * 1000L);
        double seconds = (System.nanoTime() - start) / 1e9;
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
}
