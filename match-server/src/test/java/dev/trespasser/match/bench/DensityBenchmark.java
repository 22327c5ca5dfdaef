package dev.trespasser.match.bench;

import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.ProductionJvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * K match processes at once on this machine, each a {@link SoakServer} (one 4v4 room on
 * {@code depot}) in a child JVM under match-server/Dockerfile's flags and {@code MALLOC_ARENA_MAX=2},
 * each played by 8 bots that all live in this one JVM, the load process (one scheduler thread
 * drives every bot at 60 Hz; each bot's socket has the WebSocket client's own reader and writer
 * thread). Per K it prints, over a window after the joins and warmup: each match's RSS, its
 * process CPU from {@code /proc/<pid>/stat}, its worst 10 s tick p99 (the server samples its tick
 * histogram every 10 s), the snapshots each player received, the load process's CPU and the
 * machine's busy CPU from {@code /proc/stat} (which includes anything else running), and each
 * match's PSS from {@code /proc/<pid>/smaps_rollup}: its RSS with every page shared by n processes
 * counted 1/n, so the K matches' PSS add up to what they take of the node together.
 *
 * <p>{@code -Dbench.serverExtraFlags="..."} (space-separated) adds JVM flags to every server, after
 * the Dockerfile's: a class archive, say, as {@code -XX:SharedArchiveFile=... -Xshare:on} with
 * {@code -Dbench.serverClasspath} set to the archive's classpath.
 *
 * <p>Arguments (all optional): {@code [ks=1,4,8,16] [windowSeconds=60] [settleSeconds=10]}.
 * Run from the repository root (the flags are read from match-server/Dockerfile).
 */
public final class DensityBenchmark {

    private static final Pattern SAMPLE = Pattern.compile(
            "sample (\\d+) round (\\d+) heap_after_gc_kib (\\d+) rss_kib (-?\\d+) tick_p99_us (\\d+) ticks (\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private DensityBenchmark() {}

    /** One match server child: its process, and its samples with the wall time they arrived. */
    private static final class Server {
        final Process process;
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<long[]> samples = new CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        volatile int port = -1;

        Server(Process process) {
            this.process = process;
        }
    }

    public static void main(String[] args) throws Exception {
        int[] ks = Arrays.stream((args.length > 0 ? args[0] : "1,4,8,16").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int settle = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<String> flags = new ArrayList<>(ProductionJvmFlags.fromDockerfile(ProductionJvmFlags.dockerfile()));
        String extra = System.getProperty("bench.serverExtraFlags", "").strip();
        if (!extra.isEmpty()) {
            flags.addAll(Arrays.asList(extra.split("\\s+")));
        }
        System.out.printf(
                "density: K=%s, %d s window after %d s; java %s; server flags %s%n",
                Arrays.toString(ks), window, settle, System.getProperty("java.version"), String.join(" ", flags));
        for (int k : ks) {
            run(k, window, settle, flags);
        }
        System.exit(0);
    }

    private static void run(int k, int window, int settle, List<String> flags) throws Exception {
        List<Server> servers = new ArrayList<>();
        List<List<BotClient>> botsByMatch = new ArrayList<>();
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < k; i++) {
                servers.add(start(flags));
            }
            for (Server s : servers) {
                if (!s.ready.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a match server did not start");
                }
                List<BotClient> bots = new ArrayList<>();
                for (String token : s.tokens) {
                    BotClient bot = new BotClient(s.port, bots.size())
                            .voting(false)
                            .everyInput(BotClient.everyInputSetting(false));
                    bot.join(token);
                    bots.add(bot);
                }
                botsByMatch.add(bots);
            }
            List<BotClient> all = botsByMatch.stream().flatMap(List::stream).toList();
            driver.scheduleAtFixedRate(() -> all.forEach(BotClient::play), 0, 16_667, TimeUnit.MICROSECONDS);
            Thread.sleep(settle * 1000L);

            long[] cpuBefore =
                    servers.stream().mapToLong(s -> cpuTicks(s.process.pid())).toArray();
            int[] snapsBefore = all.stream().mapToInt(BotClient::snapshots).toArray();
            long loadBefore = ProcessHandle.current()
                    .info()
                    .totalCpuDuration()
                    .orElse(Duration.ZERO)
                    .toNanos();
            long[] machineBefore = machineTicks();
            long from = System.nanoTime();
            Thread.sleep(window * 1000L);
            long to = System.nanoTime();
            long[] machineAfter = machineTicks();
            long loadCpu = ProcessHandle.current()
                            .info()
                            .totalCpuDuration()
                            .orElse(Duration.ZERO)
                            .toNanos()
                    - loadBefore;
            double seconds = (to - from) / 1e9;

            double[] cpu = new double[k];
            double[] rss = new double[k];
            double[] anon = new double[k];
            double[] pss = new double[k];
            double[] p99 = new double[k];
            for (int i = 0; i < k; i++) {
                Server s = servers.get(i);
                cpu[i] = 100.0 * (cpuTicks(s.process.pid()) - cpuBefore[i]) / CLOCK_TICKS_PER_SECOND / seconds;
                rss[i] = status(s.process.pid(), "VmRSS") / 1024.0;
                anon[i] = status(s.process.pid(), "RssAnon") / 1024.0;
                pss[i] = smapsRollup(s.process.pid(), "Pss") / 1024.0;
                p99[i] = s.samples.stream()
                        .filter(x -> x[0] > from && x[0] <= to + 1_000_000_000L)
                        .mapToLong(x -> x[1])
                        .max()
                        .orElse(-1);
            }
            double minSnapshots = Double.MAX_VALUE;
            int closed = 0;
            for (int i = 0; i < all.size(); i++) {
                minSnapshots = Math.min(minSnapshots, (all.get(i).snapshots() - snapsBefore[i]) / seconds);
                closed += all.get(i).closed() ? 1 : 0;
            }
            long busy = (machineAfter[0] - machineBefore[0]);
            long total = (machineAfter[1] - machineBefore[1]);
            System.out.printf(
                    "K=%d: per match RSS median %.1f MiB (max %.1f; RssAnon median %.1f; PSS median %.1f), CPU median %.2f %% of a core "
                            + "(min %.2f, max %.2f), tick p99 (worst 10 s) median %.0f us (max %.0f); servers' CPU total %.2f cores; "
                            + "RSS total %.0f MiB; PSS total %.0f MiB; load process %.2f cores; machine busy %.2f of %d cores; lowest snapshots/s "
                            + "%.1f; bots closed %d%n",
                    k,
                    median(rss),
                    max(rss),
                    median(anon),
                    median(pss),
                    median(cpu),
                    min(cpu),
                    max(cpu),
                    median(p99),
                    max(p99),
                    Arrays.stream(cpu).sum() / 100,
                    Arrays.stream(rss).sum(),
                    Arrays.stream(pss).sum(),
                    loadCpu / 1e9 / seconds,
                    (double) busy / total * Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors(),
                    minSnapshots,
                    closed);
            for (int i = 0; i < k; i++) {
                System.out.printf(
                        "  match %d: RSS %.1f MiB (RssAnon %.1f, PSS %.1f), CPU %.2f %%, tick p99 %.0f us%n",
                        i, rss[i], anon[i], pss[i], cpu[i], p99[i]);
            }
        } finally {
            driver.shutdownNow();
            for (List<BotClient> bots : botsByMatch) {
                bots.forEach(BotClient::close);
            }
            for (Server s : servers) {
                s.process.destroy();
            }
            for (Server s : servers) {
                if (!s.process.waitFor(10, TimeUnit.SECONDS)) {
                    s.process.destroyForcibly();
                }
            }
        }
    }

    /** A {@link SoakServer} whose round outlasts the run, sampling every 10 s. */
    private static Server start(List<String> flags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(
                List.of("-cp", BenchClasspath.server(), SoakServer.class.getName(), "1", "10", "3600", "5", "15"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Server server = new Server(builder.start());
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(server.process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = out.readLine()) != null) {
                            Matcher sample = SAMPLE.matcher(line);
                            if (line.startsWith("port ")) {
                                server.port = Integer.parseInt(line.substring(5).trim());
                            } else if (line.startsWith("token ")) {
                                server.tokens.add(line.substring(6).trim());
                                if (server.tokens.size() == SoakServer.PLAYERS) {
                                    server.ready.countDown();
                                }
                            } else if (sample.matches()) {
                                server.samples.add(new long[] {System.nanoTime(), Long.parseLong(sample.group(5))});
                            } else if (!line.startsWith("round ")) {
                                System.out.println("server " + server.process.pid() + ": " + line);
                            }
                        }
                    } catch (IOException e) {
                        // The process ended.
                    }
                },
                "density-server-output");
        reader.setDaemon(true);
        reader.start();
        return server;
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
    }

    /** A field of /proc/pid/status in kB. */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** A field of /proc/pid/smaps_rollup in kB: the sums over all of the process's mappings. */
    private static long smapsRollup(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/smaps_rollup");
    }

    /** The machine's busy and total clock ticks (all CPUs) from /proc/stat. */
    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }
}
