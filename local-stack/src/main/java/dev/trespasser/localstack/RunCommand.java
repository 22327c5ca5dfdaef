package dev.trespasser.localstack;

import dev.trespasser.bots.BotBehaviour;
import dev.trespasser.bots.LoadConfig;
import dev.trespasser.bots.LoadGenerator;
import dev.trespasser.bots.LoadReport;
import dev.trespasser.bots.stats.LatencyHistogram.Percentiles;
import dev.trespasser.localstack.feed.BotsToConsole;
import dev.trespasser.localstack.feed.FleetTraffic;
import dev.trespasser.localstack.feed.MatchConsole;
import dev.trespasser.localstack.feed.ResultsFeed;
import dev.trespasser.localstack.fleet.LocalFleet;
import dev.trespasser.localstack.process.JvmLauncher;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The README's run command: starts the local stack, lets B bots play for the run's duration,
 * prints matches as they happen and a summary, then stops everything it started — also on
 * Ctrl-C, through the shutdown hook.
 */
public final class RunCommand {
    /**
     * Per bot and scoreboard. The bots' own default (0.5) restarts nearly every 4v4 match (two of
     * eight votes suffice), so a short run showed no server going back to the fleet; at 0.1 about
     * one match in five plays another round, and the others hand their server back.
     */
    static final double DEMO_VOTE_RESTART_CHANCE = 0.1;

    private RunCommand() {}

    public static void main(String[] args) throws Exception {
        // Every service jar carries its own logback.xml; the console's setup is this module's.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "local-stack-console.xml");
        }
        StackSettings settings;
        try {
            settings = StackSettings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("scripts/run: " + e.getMessage());
            System.err.print(StackSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.runDir() == null) {
            settings = settings.withRunDir(Files.createTempDirectory("trespasser-local-"));
        }
        System.exit(run(settings, System.out));
    }

    static int run(StackSettings settings, PrintStream out) throws Exception {
        Path runDir = settings.runDir();
        out.printf(
                "Trespasser local stack: %d match servers, %d bots%s %s; rules: first to %d kills or %d s%n",
                settings.matchServers(),
                settings.bots(),
                settings.humans() > 0 ? " and " + settings.humans() + " seats for people" : "",
                settings.duration().equals(StackSettings.UNTIL_CTRL_C)
                        ? "until Ctrl-C"
                        : "for " + settings.duration().toSeconds() + " s",
                settings.killLimit(),
                settings.timeLimitSeconds());
        out.printf("run folder (logs of every process, keys, GameServer files): %s%n", runDir);
        out.println(
                "starting Redis, om-core, the MMF, the match servers with their SDK servers, the frontend and the director...");

        MatchConsole console = new MatchConsole(out);
        JvmLauncher launcher = JvmLauncher.ofCurrentJvm(LocalStack.writeChildLogbackConfig(runDir));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Thread onCtrlC = new Thread(
                () -> {
                    interrupted.set(true);
                    main.interrupt();
                    try {
                        // let the main thread print the summary and stop everything in order
                        stopped.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                },
                "ctrl-c");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        long startNanos = System.nanoTime();
        Percentiles timeToMatch = Percentiles.NONE;
        try (LocalStack stack = LocalStack.start(settings, launcher, console)) {
            printBanner(stack, out);
            printTls(stack, settings, out);
            try (ResultsFeed results = new ResultsFeed(stack.redis().adminUrl(), console);
                    FleetTraffic traffic = new FleetTraffic(() -> stack.fleet().slots().stream()
                            .map(LocalFleet.Slot::adminPort)
                            .toList())) {
                if (settings.bots() > 0) {
                    LoadConfig load = new LoadConfig(
                            stack.frontendTarget(),
                            settings.bots(),
                            8,
                            settings.duration(),
                            0,
                            "4v4",
                            "eu",
                            true,
                            BotBehaviour.defaults().withVoteRestartChance(DEMO_VOTE_RESTART_CHANCE),
                            System.currentTimeMillis(),
                            "bot",
                            stack.clientTrust());
                    try (LoadGenerator bots = new LoadGenerator(load, new BotsToConsole(console))) {
                        bots.start();
                        out.printf(
                                "%d bots queueing through the frontend at %s%n%n",
                                settings.bots(), stack.frontendTarget());
                        try {
                            // With people playing, the bots stay (and queue again) until the duration or Ctrl-C.
                            bots.awaitFinished(settings.duration().plusSeconds(30));
                        } catch (InterruptedException e) {
                            out.println("\nCtrl-C: stopping the bots and the stack");
                        }
                        out.println();
                        LoadReport report = bots.report();
                        report.print(out);
                        timeToMatch = report.timeToMatch();
                    }
                } else {
                    out.printf(
                            "no bots (--bots 0): the stack runs for %d s%n",
                            settings.duration().toSeconds());
                    try {
                        Thread.sleep(settings.duration().toMillis());
                    } catch (InterruptedException e) {
                        out.println("\nCtrl-C: stopping the stack");
                    }
                }
                Thread.interrupted();
                printSummary(stack, console, timeToMatch, traffic, (System.nanoTime() - startNanos) / 1e9, out);
            }
            out.println("stopping everything this run started...");
        } finally {
            long left = ProcessHandle.current()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .count();
            out.printf("stopped; %d child processes left running%n", left);
            stopped.countDown();
            if (!interrupted.get()) {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            }
        }
        return 0;
    }

    private static void printBanner(LocalStack stack, PrintStream out) {
        out.println();
        out.printf("  %-22s %-28s %s%n", "part", "where", "metrics / log");
        // Addresses only: every service has its own Redis user and password (open-match/redis/).
        out.printf(
                "  %-22s %-28s %s%n",
                "Redis", stack.redis().url(), "logs/redis-" + stack.redis().port() + ".log");
        out.printf(
                "  %-22s %-28s %s%n",
                "Redis (replays)",
                stack.replayRedis().url(),
                "logs/redis-" + stack.replayRedis().port() + ".log");
        out.printf(
                "  %-22s %-28s %s%n", "om-core (memory state)", stack.omCore().grpcTarget(), "logs/om-core.log");
        for (LocalStack.Service service : List.of(stack.mmf(), stack.director(), stack.frontend())) {
            String where = service.port() > 0 ? "127.0.0.1:" + service.port() : "(no server port)";
            out.printf("  %-22s %-28s %s  logs/%s.log%n", service.name(), where, service.metricsUrl(), service.name());
        }
        for (LocalFleet.Slot slot : stack.fleet().slots()) {
            out.printf(
                    "  %-22s %-28s %s  logs/match-server-%s*.log%n",
                    "match server " + slot.name(),
                    "wss://127.0.0.1:" + slot.gamePort(),
                    slot.metricsUrl(),
                    slot.name());
            out.printf(
                    "  %-22s %-28s %s%n",
                    "  SDK server",
                    "127.0.0.1:" + slot.sdkPort(),
                    "Agones SDK server (local mode), pid "
                            + slot.sidecar().process().pid() + ", "
                            + slot.sidecar().process().logFile());
        }
        out.println();
    }

    /** Where the CA is, how a local browser trusts it, and where people play. */
    private static void printTls(LocalStack stack, StackSettings settings, PrintStream out) {
        out.printf(
                "TLS: every match server speaks wss://; the frontend's gRPC port is %s%n",
                stack.frontendServesTls() ? "TLS" : "plaintext (this frontend build does not read FRONTEND_TLS_*)");
        out.printf(
                "  CA of this run: %s (trust it to reach this run's servers)%n",
                stack.tls().caFile());
        out.printf(
                "  Chromium, trusting only this run's keys: chromium --ignore-certificate-errors-spki-list=%s%n",
                stack.tls().spkiHashes());
        out.printf(
                "  or import the CA for your user: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n trespasser-local -i %s%n",
                stack.tls().caFile());
        if (stack.webPortServesTls()) {
            out.printf("Open https://localhost:%d/ in a browser%n", stack.webPort());
        } else {
            out.printf(
                    "Open https://localhost:%d/ in a browser, once the frontend serves FRONTEND_WEB_PORT"
                            + " (this frontend build does not answer there yet)%n",
                    stack.webPort());
        }
        if (settings.humans() > 0) {
            out.printf(
                    "%d seat(s) wait for people: log in (guest is fine) and queue for 4v4 in region eu;"
                            + " the bots' last match starts when %s%n",
                    settings.humans(), settings.seatsLeftOpen() == 0 ? "you queue" : "enough people queue");
            if (settings.seatsLeftOpen() > 0) {
                out.printf(
                        "  note: %d bots + %d people leave %d seat(s) of a 4v4 empty; that match waits for them%n",
                        settings.bots(), settings.humans(), settings.seatsLeftOpen());
            }
        }
        out.println();
    }

    private static void printSummary(
            LocalStack stack,
            MatchConsole console,
            Percentiles timeToMatch,
            FleetTraffic traffic,
            double seconds,
            PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "summary after %.0f s%n", seconds);
        out.printf(
                Locale.ROOT,
                "  matches played:             %d (%d rounds incl. restarts, %d abandoned)%n",
                console.matchesPlayed(),
                console.rounds(),
                console.abandoned());
        out.printf(
                Locale.ROOT,
                "  time to match:              p50 %.1f s, p95 %.1f s (%d assignments)%n",
                timeToMatch.p50().toMillis() / 1e3,
                timeToMatch.p95().toMillis() / 1e3,
                timeToMatch.count());
        out.printf(
                Locale.ROOT,
                "  bandwidth per player:       %.2f KB/s down, %.2f KB/s up (match servers' metrics, %.0f player-seconds)%n",
                traffic.downstreamBytesPerPlayerSecond() / 1000,
                traffic.upstreamBytesPerPlayerSecond() / 1000,
                traffic.playerSeconds());
        out.printf(
                Locale.ROOT,
                "  servers returned to fleet:  %d (Allocated → Ready, seen through the SDK servers)%n",
                stack.fleet().returnsToFleet());
        out.printf(
                Locale.ROOT, "  match servers replaced:     %d%n", stack.fleet().replacements());
        out.println();
    }
}
