package dev.trespasser.match.bench;

import dev.trespasser.match.testing.BotClient;
import dev.trespasser.match.testing.ProductionJvmFlags;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full-length matches under the production image's JVM flags: a {@link SoakServer} child JVM
 * started with match-server/Dockerfile's ENTRYPOINT flags (read from the Dockerfile, so they
 * cannot drift), 8 bots here sending an input every tick and voting to restart until the last
 * round. Prints the server's heap after GC, RSS and tick p99 per sample, then per round, and
 * exits non-zero when the server died, a round's result is missing, or heap after GC was not
 * flat across rounds (within 1 MiB). See docs/benchmarks.md for the command.
 *
 * <p>Arguments (all optional): {@code [rounds=3] [roundSeconds=600] [timeScale=1] [sampleSeconds=60]}.
 */
public final class SoakBenchmark {

    /** Heap after GC may differ this much between rounds (issue 10). */
    static final long FLAT_KIB = 1024;

    private static final Pattern SAMPLE = Pattern.compile(
            "sample (\\d+) round (\\d+) heap_after_gc_kib (\\d+) rss_kib (-?\\d+) tick_p99_us (\\d+) ticks (\\d+)");
    private static final Pattern ROUND = Pattern.compile("round (\\d+) ended .* replay_bytes (\\d+) restarting (\\w+)");

    /** How to run: rounds of {@code roundSeconds} match time; warmup and scoreboard as given. */
    public record Plan(
            int rounds,
            int roundSeconds,
            double timeScale,
            int sampleSeconds,
            int warmupSeconds,
            int scoreboardSeconds) {}

    public record Sample(int seconds, int round, long heapAfterGcKib, long rssKib, long tickP99Micros, long ticks) {}

    public record RoundEnd(int round, int replayBytes, boolean restarting) {}

    /** What happened: the samples, each round's result line, and how the server process ended. */
    public record Report(List<String> flags, List<Sample> samples, List<RoundEnd> rounds, int exitCode, String output) {

        /** Heap after GC per round: min and max of the samples taken while it was played. */
        public Map<Integer, long[]> heapByRound() {
            Map<Integer, long[]> byRound = new TreeMap<>();
            for (Sample s : samples) {
                long[] range = byRound.computeIfAbsent(s.round(), r -> new long[] {Long.MAX_VALUE, 0});
                range[0] = Math.min(range[0], s.heapAfterGcKib());
                range[1] = Math.max(range[1], s.heapAfterGcKib());
            }
            return byRound;
        }

        /** Spread of heap after GC over every sample after the first round (the first warms up). */
        public long heapSpreadAfterFirstRoundKib() {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (Sample s : samples) {
                if (s.round() > 1) {
                    min = Math.min(min, s.heapAfterGcKib());
                    max = Math.max(max, s.heapAfterGcKib());
                }
            }
            return max == 0 ? -1 : max - min;
        }
    }

    private SoakBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int roundSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        double timeScale = args.length > 2 ? Double.parseDouble(args[2]) : 1;
        int sampleSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        Plan plan = new Plan(rounds, roundSeconds, timeScale, sampleSeconds, 5, 15);
        System.out.printf(
                "soak: %d rounds of %d s at %.1fx, sample every %d s; java %s%n",
                rounds, roundSeconds, timeScale, sampleSeconds, System.getProperty("java.version"));
        Report report = run(plan, Path.of(BenchClasspath.server()), line -> {
            if (!line.startsWith("token ")) {
                System.out.println(line);
            }
        });
        System.out.println("server flags: " + String.join(" ", report.flags()));
        System.out.println("per round: heap after GC (KiB, min-max of samples), replay bytes");
        Map<Integer, long[]> heap = report.heapByRound();
        for (RoundEnd r : report.rounds()) {
            long[] range = heap.getOrDefault(r.round(), new long[] {0, 0});
            System.out.printf(
                    "  round %d: heap after GC %d-%d KiB, replay %d bytes%n",
                    r.round(), range[0], range[1], r.replayBytes());
        }
        long spread = report.heapSpreadAfterFirstRoundKib();
        boolean flat = spread >= 0 && spread <= FLAT_KIB;
        boolean complete = report.rounds().size() == rounds && report.exitCode() == 0;
        System.out.printf(
                "server exit code %d, %d of %d round results; heap after GC spread after round 1: %d KiB "
                        + "(bound %d): %s%n",
                report.exitCode(),
                report.rounds().size(),
                rounds,
                spread,
                FLAT_KIB,
                complete && flat ? "PASS" : "FAIL");
        System.exit(complete && flat ? 0 : 1);
    }

    /**
     * Runs the plan: the server in a child JVM under the production flags with {@code classpath},
     * the bots in this JVM. {@code lines} sees the server's output as it comes.
     */
    public static Report run(Plan plan, Path classpath, Consumer<String> lines) throws Exception {
        List<String> flags = ProductionJvmFlags.fromDockerfile(ProductionJvmFlags.dockerfile());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of(
                "-cp",
                classpath.toString(),
                SoakServer.class.getName(),
                "" + plan.timeScale(),
                "" + plan.sampleSeconds(),
                "" + plan.roundSeconds(),
                "" + plan.warmupSeconds(),
                "" + plan.scoreboardSeconds()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // as the image sets it
        Process server = builder.start();
        StringBuilder output = new StringBuilder();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        List<RoundEnd> rounds = new CopyOnWriteArrayList<>();
        List<BotClient> bots = new ArrayList<>();
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            int port = -1;
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                lines.accept(line);
                Matcher sample = SAMPLE.matcher(line);
                Matcher round = ROUND.matcher(line);
                if (line.startsWith("port ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                } else if (line.startsWith("token ")) {
                    BotClient bot =
                            new BotClient(port, bots.size()).voting(true).everyInput(BotClient.everyInputSetting(true));
                    bot.join(line.substring(6).trim());
                    bots.add(bot);
                    if (bots.size() == SoakServer.PLAYERS) {
                        driver.scheduleAtFixedRate(
                                () -> bots.forEach(BotClient::play),
                                0,
                                (long) (16_667 / plan.timeScale()),
                                TimeUnit.MICROSECONDS);
                    }
                } else if (sample.matches()) {
                    samples.add(new Sample(
                            Integer.parseInt(sample.group(1)),
                            Integer.parseInt(sample.group(2)),
                            Long.parseLong(sample.group(3)),
                            Long.parseLong(sample.group(4)),
                            Long.parseLong(sample.group(5)),
                            Long.parseLong(sample.group(6))));
                } else if (round.matches()) {
                    rounds.add(new RoundEnd(
                            Integer.parseInt(round.group(1)),
                            Integer.parseInt(round.group(2)),
                            Boolean.parseBoolean(round.group(3))));
                    if (rounds.size() == plan.rounds() - 1) {
                        bots.forEach(b -> b.voting(false)); // the last round ends the match
                    }
                }
            }
        } finally {
            driver.shutdownNow();
            for (BotClient bot : bots) {
                bot.close();
            }
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        return new Report(flags, List.copyOf(samples), List.copyOf(rounds), server.waitFor(), output.toString());
    }
}
