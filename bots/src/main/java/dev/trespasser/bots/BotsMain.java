package dev.trespasser.bots;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator's command line. Settings come from the environment (bots/README.md); each
 * argument {@code NAME=value} overrides one, e.g. {@code BOTS_COUNT=40 BOTS_DURATION_SECONDS=300}.
 * Prints a progress line every second and the summary at the end; exits 0, 1 when bots hit
 * errors, 2 on bad settings. SIGTERM (Ctrl-C) stops the bots and still prints the summary.
 */
public final class BotsMain {

    /** Logs go to stderr: stdout carries the progress lines and the summary. */
    static final String LOG_TARGET = "System.err";
    /** Bots still playing when the duration ends get this long to leave cleanly. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(15);

    private BotsMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("LOG_TARGET") == null) {
            System.setProperty("LOG_TARGET", LOG_TARGET);
        }
        System.exit(run(System.getenv(), args, System.out));
    }

    static int run(Map<String, String> environment, String[] args, PrintStream out) throws InterruptedException {
        LoadConfig config;
        try {
            config = LoadConfig.fromEnvironment(settings(environment, args));
        } catch (IllegalArgumentException e) {
            System.err.println("bots: " + e.getMessage());
            return 2;
        }
        LoadGenerator generator = new LoadGenerator(config, BotListener.NONE);
        Thread hook = new Thread(
                () -> {
                    generator.close();
                    generator.report().print(out);
                    out.flush();
                },
                "bots-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        generator.start();
        Duration limit = config.duration().plus(FINISH_GRACE);
        long until = System.nanoTime() + limit.toNanos();
        boolean finished = false;
        while (!finished && System.nanoTime() < until) {
            finished = generator.awaitFinished(Duration.ofSeconds(1));
            out.println(generator.report().progressLine());
        }
        if (!finished) {
            Logger log = LoggerFactory.getLogger(BotsMain.class);
            log.warn("bots still running {} s after the end of the run; stopping them", FINISH_GRACE.toSeconds());
        }
        generator.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        LoadReport report = generator.report();
        report.print(out);
        return report.errors() > 0 ? 1 : 0;
    }

    static Map<String, String> settings(Map<String, String> environment, String[] args) {
        Map<String, String> merged = new HashMap<>(environment);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0 || !arg.startsWith("BOTS_")) {
                throw new IllegalArgumentException("arguments are BOTS_NAME=value, got '" + arg + "'");
            }
            merged.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return merged;
    }
}
