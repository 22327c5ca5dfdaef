package dev.trespasser.match.bench;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.match.AdminServer;
import dev.trespasser.match.agones.AgonesSdk;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.net.ServerTls;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.peers.AgonesSdkServer;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One room, 8 bots over real WebSockets (in a child JVM) in an active match: bandwidth per
 * player, tick duration, RSS, CPU, CPU per thread and start time of this process. Run with the
 * JVM flags to measure (see docs/benchmarks.md); arguments: measured seconds (default 60), then
 * {@code agones} to also run the match process's Agones SDK traffic against a real SDK server in
 * local mode (a child process): connect, Watch, Ready, and a health ping every 2 s, as the
 * lifecycle does; "ready" then includes Ready() answered; and/or {@code tls} to serve wss:// as
 * production does ({@code MATCH_TLS_CERT_FILE}): the certificate and key are PEM files from a
 * local CA, made by {@link BenchCertificates} in a child JVM before the server reads them (their
 * making is not counted in "ready": in a pod the Secret is mounted before the JVM starts), and the
 * bots connect over wss:// trusting that CA.
 */
public final class MatchServerBenchmark {

    private static final int PLAYERS = 8;
    /** Waiting ends when all 8 are in; warmup is 5 s; measure once everyone is in play. */
    private static final int SETTLE_SECONDS = 7;

    private MatchServerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Set<String> options = Set.of(args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[0]);
        if (!Set.of("agones", "tls").containsAll(options)) {
            throw new IllegalArgumentException("options after the seconds: agones, tls; got " + options);
        }
        boolean agones = options.contains("agones");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Optional<Path> tlsFolder = Optional.empty();
        long certificateMillis = 0;
        if (options.contains("tls")) {
            Path folder = Files.createTempDirectory("bench-tls");
            long begin = System.nanoTime();
            Process issuing = new ProcessBuilder(
                            java, "-cp", BenchClasspath.helpers(), BenchCertificates.class.getName(), folder.toString())
                    .inheritIO()
                    .start();
            if (issuing.waitFor() != 0) {
                throw new IllegalStateException("BenchCertificates failed: " + issuing.exitValue());
            }
            certificateMillis = (System.nanoTime() - begin) / 1_000_000;
            tlsFolder = Optional.of(folder);
        }
        AgonesSdkServer sidecar = null;
        if (agones) {
            Path file = Files.createTempFile("bench-gameserver", ".yaml");
            Files.writeString(file, """
                    apiVersion: agones.dev/v1
                    kind: GameServer
                    metadata:
                      name: bench
                    status:
                      state: Scheduled
                      address: 127.0.0.1
                    """);
            // Started before the measured JVM's own start-up counts: in a pod the sidecar is already up.
            sidecar = AgonesSdkServer.local(file, Path.of("target/peer-logs"), "sdk-server-bench");
        }
        // Start-up as the lifecycle sees it: metrics, admin endpoint, key, socket server, a map.
        MatchServerMetrics metrics = new MatchServerMetrics();
        TestKeys keys = new TestKeys();
        AdminServer admin = AdminServer.start(0, metrics);
        // As MatchServer does with MATCH_TLS_CERT_FILE / MATCH_TLS_KEY_FILE.
        Optional<ServerTls> tls =
                tlsFolder.map(f -> ServerTls.fromPemFiles(f.resolve("gameserver.crt"), f.resolve("gameserver.key")));
        GameSocketServer server = new GameSocketServer(0, keys.verifier(), metrics, EdgeLimits.defaults(), tls);
        server.start();
        MapCatalog.load("depot");
        AgonesSdk sdk = null;
        ScheduledExecutorService pings = null;
        if (sidecar != null) {
            sdk = AgonesSdk.connect("127.0.0.1", sidecar.httpPort());
            sdk.gameServer();
            AgonesSdk client = sdk;
            pings = Executors.newSingleThreadScheduledExecutor();
            pings.scheduleAtFixedRate(client::health, 0, 2, TimeUnit.SECONDS);
            sdk.watchGameServer(gs -> {}, error -> System.out.println("watch broke: " + error));
            sdk.ready();
        }
        long readyMillis = System.currentTimeMillis()
                - ManagementFactory.getRuntimeMXBean().getStartTime()
                - certificateMillis;

        MatchAllocation.Builder allocation = MatchAllocation.newBuilder()
                .setMatchId("bench")
                .setMode("4v4")
                .setMapName("depot")
                .setRules(MatchRules.newBuilder().setKillLimit(10_000));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC"));
        // Forwarded as given, read by the bots' JVM: calling BotClient here would load the bots' WebSocket
        // library into the measured JVM.
        String everyInput = System.getProperty(BotClient.EVERY_INPUT_PROPERTY);
        if (everyInput != null) {
            command.add("-D" + BotClient.EVERY_INPUT_PROPERTY + "=" + everyInput);
        }
        tlsFolder.ifPresent(f -> command.add("-D" + BenchBots.TLS_CA_PROPERTY + "=" + f.resolve("ca.crt")));
        command.addAll(List.of(
                "-cp",
                BenchClasspath.helpers(),
                BenchBots.class.getName(),
                "" + server.port(),
                "" + SETTLE_SECONDS,
                "" + seconds));
        for (int i = 0; i < PLAYERS; i++) {
            allocation.addRoster(RosterPlayer.newBuilder()
                    .setPlayerId("bot-" + i)
                    .setTeam(i % 2 == 0 ? RosterTeam.ROSTER_TEAM_RED : RosterTeam.ROSTER_TEAM_BLUE));
            command.add(keys.tokenWithoutJwtLibrary("bot-" + i, "bench"));
        }
        MatchRoom room = MatchRoom.open(
                allocation.build(),
                RoomConfig.defaults(),
                new RoomListener() {
                    @Override
                    public void onRoundEnded(RoundResult result) {
                        System.out.println(
                                "round ended early: " + result.matchResult().getOutcome());
                    }

                    @Override
                    public void onRoomFinished() {}
                },
                metrics);
        server.host(room, TestKeys.SERVER);

        Process bots = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(bots.getInputStream(), StandardCharsets.UTF_8));
        String joined = out.readLine();
        System.out.println("bots: " + joined);
        Thread.sleep(SETTLE_SECONDS * 1000L);

        Thread tickThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("match-bench"))
                .findFirst()
                .orElseThrow();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long tickCpuBefore = threadBean.getThreadCpuTime(tickThread.getId());
        MetricSnapshots before = metrics.registry().scrape();
        long cpuBefore = ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .orElse(Duration.ZERO)
                .toNanos();
        long wallBefore = System.nanoTime();
        Map<String, Long> threadsBefore = threadTicks();
        Map<String, Long> sleepsBefore = threadSleeps();
        List<String> lines = new ArrayList<>();
        String wire = null;
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("bot ")) {
                lines.add(line);
            } else if (line.startsWith("wire ")) {
                wire = line;
            } else {
                System.out.println("bots: " + line);
            }
            if (lines.size() == PLAYERS) {
                break;
            }
        }
        long wall = System.nanoTime() - wallBefore;
        Map<String, Long> threadsAfter = threadTicks();
        Map<String, Long> sleepsAfter = threadSleeps();
        long cpu = ProcessHandle.current()
                        .info()
                        .totalCpuDuration()
                        .orElse(Duration.ZERO)
                        .toNanos()
                - cpuBefore;
        long tickCpu = threadBean.getThreadCpuTime(tickThread.getId()) - tickCpuBefore;
        MetricSnapshots after = metrics.registry().scrape();
        bots.waitFor();

        double down = 0;
        double up = 0;
        double snapshots = 0;
        for (String l : lines) {
            String[] f = l.split(" ");
            double s = Double.parseDouble(f[9]);
            down += Long.parseLong(f[3]) / s;
            up += Long.parseLong(f[5]) / s;
            snapshots += Integer.parseInt(f[7]) / s;
            System.out.println(l);
        }
        HistogramSnapshot.HistogramDataPointSnapshot ticksBefore = ticks(before);
        HistogramSnapshot.HistogramDataPointSnapshot ticksAfter = ticks(after);
        System.out.printf(
                "java %s, flags %s%n",
                System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .map(f -> f.startsWith("-D" + BenchClasspath.HELPERS_PROPERTY + "=")
                                ? "-D" + BenchClasspath.HELPERS_PROPERTY + "=..."
                                : f)
                        .toList());
        System.out.printf(
                "edge: %s%n",
                tls.map(t -> "wss:// " + Arrays.toString(t.parameters().getProtocols()))
                        .orElse("plaintext ws://"));
        System.out.printf(
                "ready after JVM start: %d ms%s%n",
                readyMillis,
                tlsFolder.isPresent() ? " (not counting " + certificateMillis + " ms of issuing the certificate)" : "");
        System.out.printf(
                "downstream per player: %.0f B/s (%.1f snapshots/s, %.1f B per snapshot incl. events)%n",
                down / PLAYERS, snapshots / PLAYERS, down / snapshots);
        System.out.printf("upstream per player: %.0f B/s%n", up / PLAYERS);
        if (wire != null) {
            // wire down <bytes> up <bytes> seconds <s>, over all bots (0 when ss was missing).
            String[] f = wire.split(" ");
            double s = Double.parseDouble(f[6]);
            System.out.printf(
                    "wire (TCP payload from ss, %s) per player: down %.0f B/s, up %.0f B/s%n",
                    tls.isPresent() ? "TLS records" : "plaintext",
                    Long.parseLong(f[2]) / s / PLAYERS,
                    Long.parseLong(f[4]) / s / PLAYERS);
        }
        System.out.printf(
                "server payload sent: %.0f B/s per player%n",
                (counter(after, "trespasser_match_bytes_sent") - counter(before, "trespasser_match_bytes_sent"))
                        / (wall / 1e9)
                        / PLAYERS);
        System.out.printf(
                "tick duration: p50 %.1f us, p99 %.1f us, mean %.1f us over %d ticks%n",
                percentile(ticksBefore, ticksAfter, 0.50) * 1e6,
                percentile(ticksBefore, ticksAfter, 0.99) * 1e6,
                (ticksAfter.getSum() - ticksBefore.getSum()) / (ticksAfter.getCount() - ticksBefore.getCount()) * 1e6,
                ticksAfter.getCount() - ticksBefore.getCount());
        var networkBefore = histogram(before, "trespasser_match_tick_network_seconds");
        var networkAfter = histogram(after, "trespasser_match_tick_network_seconds");
        System.out.printf(
                "tick network (the tick thread's socket reads and writes): p50 %.1f us, p99 %.1f us, mean %.1f us%n",
                percentile(networkBefore, networkAfter, 0.50) * 1e6,
                percentile(networkBefore, networkAfter, 0.99) * 1e6,
                (networkAfter.getSum() - networkBefore.getSum())
                        / (networkAfter.getCount() - networkBefore.getCount())
                        * 1e6);
        System.out.printf(
                "tick thread cpu: %.1f us per tick (%.2f %% of one core)%n",
                tickCpu / 1e3 / (ticksAfter.getCount() - ticksBefore.getCount()), 100.0 * tickCpu / wall);
        System.out.printf("process cpu: %.2f %% of one core%n", 100.0 * cpu / wall);
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            // RssAnon is the process's own memory; RssFile is mapped files (libjvm, the CDS archive), shared with the
            // page cache.
            if (l.startsWith("VmRSS") || l.startsWith("VmHWM") || l.startsWith("RssAnon") || l.startsWith("RssFile")) {
                System.out.println(l.replaceAll("\\s+", " "));
            }
        }
        // Per thread (name [tid]), from /proc/self/task/*/stat in clock ticks of 10 ms.
        StringBuilder perThread = new StringBuilder("cpu per thread (% of one core):");
        threadsAfter.forEach((thread, ticks) -> {
            long used = ticks - threadsBefore.getOrDefault(thread, 0L);
            if (used > 0) {
                perThread.append(String.format(" %s=%.2f", thread, 100.0 * used * 10_000_000 / wall));
            }
        });
        System.out.println(perThread);
        // A thread that blocks (voluntary context switch) costs a wake-up to resume: on a VM whose
        // vCPUs halt when idle, these set most of the process's CPU.
        StringBuilder wakeups = new StringBuilder("wake-ups per second by thread:");
        long[] total = {0};
        sleepsAfter.forEach((thread, sleeps) -> {
            long n = sleeps - sleepsBefore.getOrDefault(thread, 0L);
            total[0] += n;
            if (n > 0) {
                wakeups.append(String.format(" %s=%.1f", thread, n / (wall / 1e9)));
            }
        });
        System.out.printf("wake-ups per second: %.0f%n", total[0] / (wall / 1e9));
        System.out.println(wakeups);
        room.close();
        server.close();
        admin.close();
        if (sdk != null) {
            pings.shutdownNow();
            sdk.close();
            sidecar.close();
        }
        if (tlsFolder.isPresent()) {
            try (var files = Files.list(tlsFolder.get())) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(tlsFolder.get());
        }
    }

    private static Map<String, Long> threadTicks() throws java.io.IOException {
        Map<String, Long> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // Fields after the name start at state (3): utime is 14, stime 15.
                    ticks.put(
                            name + "[" + task.getFileName() + "]",
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // The thread ended between listing and reading.
                }
            }
        }
        return ticks;
    }

    /** Voluntary context switches per thread (name [tid]), from each task's status under /proc/self/task. */
    private static Map<String, Long> threadSleeps() throws java.io.IOException {
        Map<String, Long> sleeps = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = null;
                    long voluntary = 0;
                    for (String l : Files.readAllLines(task.resolve("status"))) {
                        if (l.startsWith("Name:")) {
                            name = l.substring(5).strip();
                        } else if (l.startsWith("voluntary_ctxt_switches:")) {
                            voluntary = Long.parseLong(l.substring(24).strip());
                        }
                    }
                    sleeps.put(name + "[" + task.getFileName() + "]", voluntary);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // The thread ended between listing and reading.
                }
            }
        }
        return sleeps;
    }

    static HistogramSnapshot.HistogramDataPointSnapshot ticks(MetricSnapshots snapshots) {
        return histogram(snapshots, "trespasser_match_tick_duration_seconds");
    }

    static HistogramSnapshot.HistogramDataPointSnapshot histogram(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s instanceof HistogramSnapshot h && h.getMetadata().getName().equals(name)) {
                return h.getDataPoints().get(0);
            }
        }
        throw new IllegalStateException("no histogram " + name);
    }

    private static double counter(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals(name)) {
                return c.getDataPoints().get(0).getValue();
            }
        }
        return 0;
    }

    /** Quantile of the window between two scrapes, interpolated linearly inside its bucket. */
    static double percentile(
            HistogramSnapshot.HistogramDataPointSnapshot a, HistogramSnapshot.HistogramDataPointSnapshot b, double q) {
        List<ClassicHistogramBucket> before = new ArrayList<>();
        a.getClassicBuckets().forEach(before::add);
        List<ClassicHistogramBucket> after = new ArrayList<>();
        b.getClassicBuckets().forEach(after::add);
        long total = 0;
        for (int i = 0; i < after.size(); i++) {
            total += after.get(i).getCount() - before.get(i).getCount();
        }
        double rank = q * total;
        long seen = 0;
        double lower = 0;
        for (int i = 0; i < after.size(); i++) {
            long n = after.get(i).getCount() - before.get(i).getCount();
            double upper = after.get(i).getUpperBound();
            if (seen + n >= rank && n > 0) {
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                return lower + (upper - lower) * (rank - seen) / n;
            }
            seen += n;
            lower = upper;
        }
        return lower;
    }
}
