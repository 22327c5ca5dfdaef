package dev.trespasser.localstack.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.bots.BotBehaviour;
import dev.trespasser.bots.BotListener;
import dev.trespasser.bots.LoadConfig;
import dev.trespasser.bots.LoadGenerator;
import dev.trespasser.localstack.LocalStack;
import dev.trespasser.localstack.StackSettings;
import dev.trespasser.localstack.fleet.FleetListener;
import dev.trespasser.localstack.process.JvmLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * A person plays: Debian's chromium, driven by playwright-core ({@code web/e2e/play.mjs}), opens
 * the local stack's https page, logs in as a guest and queues; seven bots fill the 4v4, the page
 * is assigned, joins over wss, draws the map and its player (pixels checked against the map),
 * moves and fires with the server confirming both, and votes on the scoreboard. Short rules end
 * the round quickly. Screenshots and the report land in {@code target/browser-play/}.
 */
class BrowserPlayTest {

    private static final Path WEB = Path.of("..", "web").toAbsolutePath().normalize();
    private static final Path OUT = Path.of("target", "browser-play").toAbsolutePath();

    @TempDir
    Path runDir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    @SuppressWarnings("unchecked") // the report is JSON read as maps and lists
    void aPersonPlaysAMatchInChromiumAgainstSevenBots() throws Exception {
        StackSettings settings = new StackSettings(1, 7, Duration.ofMinutes(4), 3, 30, 0, runDir, 1);
        JvmLauncher launcher = JvmLauncher.ofCurrentJvm(LocalStack.writeChildLogbackConfig(runDir));
        try (LocalStack stack = LocalStack.start(settings, launcher, new FleetListener() {})) {
            assertTrue(stack.webPortServesTls(), "the browser port serves https");
            LoadConfig load = new LoadConfig(
                    stack.frontendTarget(),
                    7,
                    0,
                    Duration.ofMinutes(4),
                    1,
                    "4v4",
                    "eu",
                    true,
                    BotBehaviour.defaults(),
                    7,
                    "bot",
                    stack.clientTrust());
            try (LoadGenerator bots = new LoadGenerator(load, new BotListener() {})) {
                bots.start();
                Process play = new ProcessBuilder(
                                "node",
                                WEB.resolve("e2e/play.mjs").toString(),
                                "--url",
                                "https://localhost:" + stack.webPort() + "/",
                                "--out",
                                OUT.toString(),
                                "--spki",
                                stack.tls().spkiHashes())
                        .directory(WEB.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .start();
                boolean ended = play.waitFor(5, TimeUnit.MINUTES);
                if (!ended) {
                    play.destroyForcibly();
                }
                assertTrue(ended, "the browser run ended");
                Map<String, Object> report = readReport();
                System.out.println("browser play report: " + OUT.resolve("report.json"));
                System.out.println("screenshots: " + report.get("screenshots"));
                assertNull(report.get("failure"), "the browser run failed; see the screenshots above");
                assertEquals(0, play.exitValue());

                List<String> steps = ((List<Map<String, Object>>) report.get("steps"))
                        .stream().map(step -> (String) step.get("name")).toList();
                assertTrue(
                        steps.containsAll(List.of(
                                "login screen",
                                "queued",
                                "assigned and connected",
                                "pixels",
                                "moved",
                                "fired",
                                "scoreboard",
                                "voted")),
                        steps.toString());
                assertTrue(((String) report.get("matchSocket")).startsWith("wss://"));
                List<String> screenshots = (List<String>) report.get("screenshots");
                assertTrue(screenshots.size() >= 5, screenshots.toString());
                for (String file : screenshots) {
                    assertTrue(Files.size(Path.of(file)) > 1000, file);
                }
                Map<String, Object> frames = (Map<String, Object>) report.get("frames");
                System.out.printf(
                        "frame work (update + draw) over %s frames: p50 %s ms, p99 %s ms; login screen after %s ms%n",
                        frames.get("count"), frames.get("p50Ms"), frames.get("p99Ms"), report.get("loginScreenMs"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readReport() throws Exception {
        // JSON is YAML: the module already has a YAML reader.
        return (Map<String, Object>)
                new Yaml().load(Files.readString(OUT.resolve("report.json"), StandardCharsets.UTF_8));
    }
}
