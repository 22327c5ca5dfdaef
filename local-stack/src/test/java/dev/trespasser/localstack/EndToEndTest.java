package dev.trespasser.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.trespasser.bots.BotBehaviour;
import dev.trespasser.bots.BotListener;
import dev.trespasser.bots.LoadConfig;
import dev.trespasser.bots.LoadGenerator;
import dev.trespasser.bots.MatchOutcome;
import dev.trespasser.localstack.feed.MatchConsole;
import dev.trespasser.localstack.feed.ResultsFeed;
import dev.trespasser.localstack.fleet.LocalFleet;
import dev.trespasser.localstack.process.JvmLauncher;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetProfileResponse;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform, driven the way the run command drives it (same {@link LocalStack}, real
 * Redis, om-core, MMF, director, frontend, match server processes, real bots over gRPC and
 * WebSocket), with short match rules. One test in phases, because each phase needs the state the
 * last one left (servers back in the fleet, ratings after results).
 */
class EndToEndTest {
    private static final Duration PHASE = Duration.ofSeconds(120);

    /** Kept when the test fails: every service's log is under {@code logs/}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path runDir;

    /** Everything the bots and the fleet report, per wave. */
    static final class Events implements BotListener, dev.trespasser.localstack.fleet.FleetListener {
        final Map<String, String> playerIdOfLabel = new ConcurrentHashMap<>();
        final Map<String, String> matchOfLabel = new ConcurrentHashMap<>();
        final Map<String, List<String>> welcomesOfLabel = new ConcurrentHashMap<>();
        final List<String> reconnects = new CopyOnWriteArrayList<>();
        final List<String> requeues = new CopyOnWriteArrayList<>();
        final List<String> disconnects = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final Map<String, List<MatchOutcome>> outcomesOfLabel = new ConcurrentHashMap<>();
        final Map<String, MatchAllocation> allocations = new ConcurrentHashMap<>();
        final Map<String, String> slotOfMatch = new ConcurrentHashMap<>();
        final List<String> returnedToFleet = new CopyOnWriteArrayList<>();
        final List<String> readyReplacements = new CopyOnWriteArrayList<>();

        @Override
        public void onLoggedIn(String player, String playerId, String username) {
            playerIdOfLabel.put(player, playerId);
        }

        @Override
        public void onWelcome(String player, String matchId, String team) {
            matchOfLabel.put(player, matchId);
            welcomesOfLabel
                    .computeIfAbsent(player, p -> new CopyOnWriteArrayList<>())
                    .add(matchId);
        }

        @Override
        public void onReconnected(String player, String matchId, boolean sameSlot) {
            reconnects.add(player + ":" + sameSlot);
        }

        @Override
        public void onDisconnected(String player, String matchId, int closeCode, String reason) {
            disconnects.add(player + ":" + matchId + ":" + closeCode);
        }

        @Override
        public void onRequeued(String player, String reason) {
            requeues.add(player + ":" + reason);
        }

        @Override
        public void onError(String player, Throwable error) {
            errors.add(player + ": " + error);
        }

        @Override
        public void onMatchEnded(String player, String matchId, MatchOutcome outcome) {
            outcomesOfLabel
                    .computeIfAbsent(player, p -> new CopyOnWriteArrayList<>())
                    .add(outcome);
        }

        @Override
        public void onAllocated(String slot, MatchAllocation match) {
            allocations.put(match.getMatchId(), match);
            slotOfMatch.put(match.getMatchId(), slot);
        }

        @Override
        public void onReturnedToFleet(String slot, String lastMatchId) {
            returnedToFleet.add(slot + ":" + lastMatchId);
        }

        @Override
        public void onReady(String slot, int generation) {
            if (generation > 1) {
                readyReplacements.add(slot + ":" + generation);
            }
        }

        Set<String> matchesOf(String prefix) {
            return matchOfLabel.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix + "-"))
                    .map(Map.Entry::getValue)
                    .collect(Collectors.toSet());
        }

        long welcomedBots(String prefix) {
            return welcomesOfLabel.keySet().stream()
                    .filter(label -> label.startsWith(prefix + "-"))
                    .count();
        }

        List<String> of(List<String> events, String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix + "-")).toList();
        }
    }

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void sixteenBotsPlayRestartReconnectSurviveAKilledServerAndLeaveNothingRunning() throws Exception {
        // Three slots: waves 1 and 2 fill the first two (Packed), the third takes the kill.
        StackSettings settings = new StackSettings(3, 16, Duration.ofMinutes(5), 3, 60, 0, runDir, 0);
        System.out.println("run directory (kept if this test fails): " + runDir);
        Events events = new Events();
        List<Integer> ports = new ArrayList<>();
        List<Long> childPids;
        JvmLauncher launcher = JvmLauncher.ofCurrentJvm(LocalStack.writeChildLogbackConfig(runDir));
        try (LocalStack stack = LocalStack.start(settings, launcher, events);
                ResultsFeed results = new ResultsFeed(stack.redis().adminUrl(), new MatchConsole(System.out))) {
            LocalFleet fleet = stack.fleet();
            collectPorts(stack, ports);
            for (LocalFleet.Slot slot : fleet.slots()) {
                assertTrue(
                        stack.tls().servesTls(slot.gamePort()),
                        "match server " + slot.name() + " speaks wss:// with the run's certificate");
            }
            ManagedChannel frontend = NettyChannelBuilder.forTarget(
                            stack.frontendTarget(), stack.clientTrust().frontendCredentials())
                    .build();
            try {
                double initialRating = newAccountRating(frontend);

                // Wave 1: 16 registered bots, each drops once mid-match and reconnects; nobody votes.
                LoadConfig wave1 = wave(
                                stack,
                                "wone",
                                16,
                                11,
                                BotBehaviour.defaults()
                                        .withDropAndReconnectChance(1.0)
                                        .withVoteRestartChance(0)
                                        .withReconnectDelay(Duration.ofMillis(500)))
                        .withGuests(false);
                try (LoadGenerator bots = new LoadGenerator(wave1, events)) {
                    bots.start();
                    assertTrue(
                            bots.awaitFinished(PHASE.plusSeconds(60)),
                            () -> "wave 1 did not finish: " + bots.report().progressLine());
                }
                Set<String> wave1Matches = events.matchesOf("wone");
                assertEquals(2, wave1Matches.size(), "16 bots make two 4v4 matches: " + events.matchOfLabel);
                assertEquals(
                        2,
                        wave1Matches.stream()
                                .map(events.slotOfMatch::get)
                                .distinct()
                                .count(),
                        "two servers at once");
                awaitTrue(
                        "both wave 1 results in Redis", () -> matchIds(results).containsAll(wave1Matches));
                assertFalse(events.reconnects.isEmpty(), "bots dropped and came back: " + events.reconnects);
                assertTrue(
                        events.reconnects.stream().allMatch(r -> r.endsWith(":true")),
                        "a reconnect keeps its slot: " + events.reconnects);
                List<String> wave1Slots =
                        wave1Matches.stream().map(events.slotOfMatch::get).toList();
                awaitTrue(
                        "both servers back to Ready",
                        () -> wave1Slots.stream()
                                .allMatch(slot -> "Ready"
                                        .equals(fleet.slot(slot)
                                                .gameServer()
                                                .getStatus()
                                                .getState())));

                // Ratings: winners up, losers down, as the frontend reports them. Mutual kills in one
                // tick make draws a legal and common outcome at a kill limit of 3, and a draw between
                // equal teams moves nobody; so until a match has a winner, 8 more registered bots
                // play one (at most three tries).
                int decided = assertRatingsFollowResults(frontend, results, wave1Matches, wave1, events, initialRating);
                for (int attempt = 1; decided == 0 && attempt <= 3; attempt++) {
                    LoadConfig decider = wave(
                                    stack,
                                    "wdec" + attempt,
                                    8,
                                    40 + attempt,
                                    BotBehaviour.defaults()
                                            .withDropAndReconnectChance(0)
                                            .withVoteRestartChance(0))
                            .withGuests(false);
                    try (LoadGenerator bots = new LoadGenerator(decider, events)) {
                        bots.start();
                        assertTrue(
                                bots.awaitFinished(PHASE),
                                () -> "decider wave did not finish: "
                                        + bots.report().progressLine());
                    }
                    Set<String> deciderMatches = events.matchesOf("wdec" + attempt);
                    awaitTrue(
                            "the decider's result in Redis",
                            () -> matchIds(results).containsAll(deciderMatches));
                    decided = assertRatingsFollowResults(
                            frontend, results, deciderMatches, decider, events, initialRating);
                }
                assertNotEquals(0, decided, "a match with a winner: " + results.results());
                awaitTrue(
                        "both servers back to Ready",
                        () -> wave1Slots.stream()
                                .allMatch(slot -> "Ready"
                                        .equals(fleet.slot(slot)
                                                .gameServer()
                                                .getStatus()
                                                .getState())));

                // Wave 2: everyone votes at round 1's scoreboard (bots never vote on their last round),
                // so each match plays a second round on the same server, then hands it back.
                LoadConfig wave2 = wave(
                                stack,
                                "wtwo",
                                16,
                                22,
                                BotBehaviour.defaults()
                                        .withDropAndReconnectChance(0)
                                        .withVoteRestartChance(1.0))
                        .withMatchesPerBot(2);
                try (LoadGenerator second = new LoadGenerator(wave2, events)) {
                    second.start();
                    awaitTrue(
                            "wave 2 allocated",
                            () -> events.welcomedBots("wtwo") == 16
                                    && events.matchesOf("wtwo").stream().allMatch(events.slotOfMatch::containsKey));
                    Set<String> wave2Matches = events.matchesOf("wtwo");
                    assertEquals(2, wave2Matches.size(), "16 bots make two 4v4 matches: " + wave2Matches);
                    assertEquals(
                            Set.copyOf(wave1Slots),
                            wave2Matches.stream().map(events.slotOfMatch::get).collect(Collectors.toSet()),
                            "the servers that came back are allocated again");

                    // Wave 3, meanwhile: 8 bots on the third server, which is killed mid-match.
                    LoadConfig wave3 = wave(
                                    stack,
                                    "wthree",
                                    8,
                                    33,
                                    BotBehaviour.defaults()
                                            .withDropAndReconnectChance(0)
                                            .withVoteRestartChance(0)
                                            .withReconnectAttempts(1)
                                            .withReconnectDelay(Duration.ofMillis(200)))
                            .withMatchesPerBot(1);
                    try (LoadGenerator third = new LoadGenerator(wave3, events)) {
                        third.start();
                        // All eight in the room: the kill then hits a match in progress, not a half-joined one.
                        awaitTrue("wave 3 playing", () -> events.welcomedBots("wthree") == 8);
                        assertEquals(
                                1, events.matchesOf("wthree").size(), "8 bots make one match: " + events.matchOfLabel);
                        String doomedMatch =
                                events.matchesOf("wthree").iterator().next();
                        String doomedSlot = events.slotOfMatch.get(doomedMatch);
                        assertFalse(wave1Slots.contains(doomedSlot), "wave 3 is on the third server: " + doomedSlot);
                        int generation = fleet.slot(doomedSlot).generation();
                        fleet.kill(doomedSlot);
                        awaitTrue(
                                "the killed server's bots requeue",
                                () -> events.of(events.requeues, "wthree").size() >= 8);
                        for (int i = 0; i < 8; i++) {
                            String label = wave3.botLabel(i);
                            assertTrue(
                                    events.disconnects.stream()
                                            .anyMatch(d -> d.equals(label + ":" + doomedMatch + ":1006")),
                                    label + " saw its server go (1006): " + events.disconnects);
                        }
                        awaitTrue(
                                "the slot is replaced and Ready",
                                () -> fleet.slot(doomedSlot).generation() > generation
                                        && events.readyReplacements.contains(doomedSlot + ":" + (generation + 1)));
                        awaitTrue(
                                "the requeued bots play again",
                                () -> events.welcomesOfLabel.entrySet().stream()
                                        .filter(e -> e.getKey().startsWith("wthree-"))
                                        .allMatch(e -> e.getValue().stream().anyMatch(m -> !m.equals(doomedMatch))));
                        assertTrue(
                                third.awaitFinished(PHASE),
                                () -> "wave 3 did not finish: " + third.report().progressLine());
                        assertEquals(
                                8,
                                third.report().matchesPlayed(),
                                "each requeued bot finished a match: "
                                        + third.report().progressLine());
                    }

                    // Wave 2's restart: round 2 of the same match, on the same server, no new allocation.
                    assertTrue(
                            second.awaitFinished(PHASE),
                            () -> "wave 2 did not finish: " + second.report().progressLine());
                    for (int i = 0; i < 16; i++) {
                        String label = wave2.botLabel(i);
                        assertEquals(
                                1,
                                Set.copyOf(events.welcomesOfLabel.get(label)).size(),
                                label + " played both rounds in one match: " + events.welcomesOfLabel.get(label));
                        List<MatchOutcome> rounds = events.outcomesOfLabel.getOrDefault(label, List.of());
                        assertEquals(2, rounds.size(), label + " played two rounds: " + rounds);
                        assertTrue(rounds.get(0).restarting(), label + ": the vote restarted the match: " + rounds);
                        assertEquals(2, rounds.get(1).round());
                    }
                    awaitTrue(
                            "round 2 results of wave 2",
                            () -> wave2Matches.stream()
                                    .allMatch(m -> results.results().stream()
                                            .anyMatch(r -> r.getMatchId().equals(m) && r.getRound() == 2)));
                    for (String match : wave2Matches) {
                        Set<String> servers = results.results().stream()
                                .filter(r -> r.getMatchId().equals(match))
                                .map(MatchResult::getGameServer)
                                .collect(Collectors.toSet());
                        assertEquals(
                                Set.of(events.slotOfMatch.get(match)),
                                servers,
                                "a restarted match stays on its server");
                    }
                    awaitTrue(
                            "wave 2's servers back to Ready",
                            () -> wave1Slots.stream()
                                    .allMatch(slot -> "Ready"
                                            .equals(fleet.slot(slot)
                                                    .gameServer()
                                                    .getStatus()
                                                    .getState())));
                }
                assertEquals(
                        List.of(),
                        events.errors.stream()
                                .filter(e -> !e.startsWith("wthree-"))
                                .toList(),
                        "only the killed server's bots may see errors");
            } finally {
                frontend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            childPids = stack.liveChildren().stream().map(ProcessHandle::pid).toList();
            assertFalse(childPids.isEmpty());
        }
        // Nothing left: no child process, every port free again.
        for (long pid : childPids) {
            assertFalse(
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "process " + pid + " still running");
        }
        assertEquals(
                List.of(),
                ProcessHandle.current()
                        .children()
                        .filter(ProcessHandle::isAlive)
                        .map(ProcessHandle::pid)
                        .toList());
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, socket.getLocalPort());
            } catch (IOException e) {
                fail("port " + port + " still held after the stack stopped: " + e.getMessage());
            }
        }
        assertTrue(Files.isDirectory(runDir.resolve("logs")));
    }

    private static LoadConfig wave(LocalStack stack, String prefix, int bots, long seed, BotBehaviour behaviour) {
        return new LoadConfig(
                stack.frontendTarget(),
                bots,
                0,
                PHASE.plusSeconds(90),
                1,
                "4v4",
                "eu",
                true,
                behaviour,
                seed,
                prefix,
                stack.clientTrust());
    }

    /**
     * Checks every player of {@code matches} (each their only match so far) against the result:
     * a winner's rating rose, a loser's fell, and a draw between teams of equal rating left it
     * where it was. Returns how many of the matches had a winner.
     */
    private static int assertRatingsFollowResults(
            ManagedChannel frontend,
            ResultsFeed results,
            Set<String> matches,
            LoadConfig wave,
            Events events,
            double initialRating)
            throws InterruptedException {
        int decided = 0;
        for (MatchResult result : results.results().stream()
                .filter(r -> matches.contains(r.getMatchId()))
                .toList()) {
            boolean draw = result.getOutcome() == Outcome.OUTCOME_DRAW;
            assertTrue(
                    draw
                            || result.getOutcome() == Outcome.OUTCOME_RED_WON
                            || result.getOutcome() == Outcome.OUTCOME_BLUE_WON,
                    "a played match is won or drawn: " + result);
            ResultTeam winners = result.getOutcome() == Outcome.OUTCOME_RED_WON
                    ? ResultTeam.RESULT_TEAM_RED
                    : ResultTeam.RESULT_TEAM_BLUE;
            decided += draw ? 0 : 1;
            for (PlayerResult player : result.getPlayersList()) {
                String label = labelOf(events, player.getPlayerId());
                double rating = awaitProfile(frontend, wave, label).getRating();
                if (draw) {
                    assertEquals(initialRating, rating, 1e-9, label + " drew but rating " + rating);
                } else if (player.getTeam() == winners) {
                    assertTrue(rating > initialRating, label + " won but rating " + rating);
                } else {
                    assertTrue(rating < initialRating, label + " lost but rating " + rating);
                }
            }
        }
        return decided;
    }

    private static void collectPorts(LocalStack stack, List<Integer> ports) {
        ports.add(stack.redis().port());
        ports.add(stack.replayRedis().port());
        ports.add(stack.omCore().grpcPort());
        for (LocalStack.Service service : List.of(stack.mmf(), stack.director(), stack.frontend())) {
            if (service.port() > 0) {
                ports.add(service.port());
            }
            ports.add(service.metricsPort());
        }
        for (LocalFleet.Slot slot : stack.fleet().slots()) {
            ports.addAll(List.of(slot.gamePort(), slot.adminPort(), slot.sdkPort()));
        }
    }

    private static Set<String> matchIds(ResultsFeed results) {
        return results.results().stream().map(MatchResult::getMatchId).collect(Collectors.toSet());
    }

    private static String labelOf(Events events, String playerId) {
        return events.playerIdOfLabel.entrySet().stream()
                .filter(e -> e.getValue().equals(playerId))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bot is player " + playerId));
    }

    /** The rating every new account starts with, from the frontend itself. */
    private static double newAccountRating(ManagedChannel frontend) {
        Session session = FrontendServiceGrpc.newBlockingStub(frontend)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .register(RegisterRequest.newBuilder()
                        .setUsername("referee")
                        .setPassword("referee-password-1")
                        .build())
                .getSession();
        return profile(frontend, session).getRating();
    }

    /** Logs in as a wave 1 bot (bots derive their password from name and seed) once its result is applied. */
    private static GetProfileResponse awaitProfile(ManagedChannel frontend, LoadConfig wave, String label)
            throws InterruptedException {
        int index = Integer.parseInt(label.substring(label.lastIndexOf('-') + 1));
        String username = wave.accountName(index);
        Session session = FrontendServiceGrpc.newBlockingStub(frontend)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder()
                        .setUsername(username)
                        .setPassword("bot-" + username + "-" + Long.toHexString(wave.seed()))
                        .build())
                .getSession();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        GetProfileResponse profile = profile(frontend, session);
        while (profile.getMatchesPlayed() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            profile = profile(frontend, session);
        }
        assertNotEquals(0, profile.getMatchesPlayed(), label + "'s result never reached its profile");
        return profile;
    }

    private static GetProfileResponse profile(ManagedChannel frontend, Session session) {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + session.getAccessToken());
        return FrontendServiceGrpc.newBlockingStub(frontend)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getProfile(GetProfileRequest.getDefaultInstance());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PHASE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + PHASE);
            }
            Thread.sleep(200);
        }
    }
}
