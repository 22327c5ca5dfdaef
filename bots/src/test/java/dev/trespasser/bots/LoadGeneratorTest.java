package dev.trespasser.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator end to end: bots log in to the real frontend (Redis, om-core), queue, get
 * the assignment the test publishes as the director would, play on the real match-server edge
 * and report.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    @Test
    void botsLogInQueuePlayAndReport() throws Exception {
        try (FrontendStack frontend = FrontendStack.start();
                MatchServerFixture server = new MatchServerFixture()) {
            BlockingQueue<String> queued = new LinkedBlockingQueue<>();
            // Records every callback as the other tests do, and also hands each queued bot to the test.
            RecordingListener recorder = new RecordingListener() {
                @Override
                public void onQueued(String player) {
                    super.onQueued(player);
                    queued.add(player);
                }
            };
            LoadConfig config = LoadConfig.defaults()
                    .withFrontendTarget(frontend.target())
                    .withBots(2)
                    .withArrivalPerSecond(0)
                    .withMode("1v1")
                    .withMatchesPerBot(1)
                    .withDuration(Duration.ofSeconds(90))
                    .withGuests(false)
                    .withNamePrefix("lg")
                    .withSeed(System.nanoTime() & 0xFFFF)
                    .withBehaviour(BotBehaviour.defaults()
                            .withDropAndReconnectChance(0)
                            .withVoteRestartChance(0));
            try (LoadGenerator generator = new LoadGenerator(config, recorder)) {
                generator.start();
                // Play the director: once both are queued, host their match and publish its assignments.
                List<String> bots = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String bot = queued.poll(30, TimeUnit.SECONDS);
                    assertTrue(bot != null, "bot queued");
                    bots.add(bot);
                }
                List<String> players =
                        bots.stream().map(recorder.playerIds::get).toList();
                server.host("m-load", players, 50, 5, MatchServerFixture.quick(1), 1);
                Map<String, String> tokenByTicket = new HashMap<>();
                Map<String, String> playerByTicket = new HashMap<>();
                for (String p : players) {
                    String ticket = frontend.ticketOf(p);
                    tokenByTicket.put(ticket, server.token(p, "m-load"));
                    playerByTicket.put(ticket, p);
                }
                frontend.publish("m-load", "127.0.0.1", server.server.port(), tokenByTicket, playerByTicket);

                assertTrue(generator.awaitFinished(Duration.ofSeconds(60)), "bots finished their match");
                LoadReport report = generator.report();
                ByteArrayOutputStream summary = new ByteArrayOutputStream();
                report.print(new PrintStream(summary, true, StandardCharsets.UTF_8));
                System.out.println(report.progressLine());
                System.out.print(summary.toString(StandardCharsets.UTF_8));

                assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
                for (String bot : bots) {
                    assertEquals(List.of("assigned m-load"), recorder.of(bot, "assigned"));
                    assertEquals(
                            1,
                            recorder.of(bot, "ended").size(),
                            recorder.events(bot).toString());
                }
                assertEquals(2, report.botsStarted());
                assertEquals(2, report.botsFinished());
                assertEquals(2, report.matchesPlayed());
                assertEquals(2, report.timeToMatch().count());
                assertTrue(report.timeToMatch().p50().toMillis() > 0);
                assertTrue(
                        report.bytesInPerPlayerSecond() > 100, "snapshots flowed: " + report.bytesInPerPlayerSecond());
                assertTrue(
                        report.bytesOutPerPlayerSecond() > 100, "inputs flowed: " + report.bytesOutPerPlayerSecond());
                assertTrue(report.inputRoundTrip().count() > 100);
                assertEquals(0, report.errors());
                assertTrue(summary.toString(StandardCharsets.UTF_8).contains("time to match"));
            }
        }
    }
}
