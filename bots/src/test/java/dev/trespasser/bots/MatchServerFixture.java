package dev.trespasser.bots;

import dev.trespasser.director.tokens.JoinTokenSigner;
import dev.trespasser.director.tokens.SigningKeys;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.frontend.v1.Assignment;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The real match-server edge in this JVM: its WebSocket server and a MatchRoom, admitting join
 * tokens signed by the director's own JoinTokenSigner, with short phases so whole matches fit in
 * a test.
 */
final class MatchServerFixture implements AutoCloseable {

    /** The GameServer name this fixture's edge answers to, as an allocation would name it. */
    static final String SERVER = "gs-bots";

    final KeyPair keys = SigningKeys.generate();
    final JoinTokenSigner signer = new JoinTokenSigner(keys.getPrivate(), Duration.ofMinutes(10));
    final MatchServerMetrics metrics = new MatchServerMetrics();
    final List<RoundResult> rounds = new CopyOnWriteArrayList<>();
    final CountDownLatch finished = new CountDownLatch(1);
    final GameSocketServer server;
    MatchRoom room;

    MatchServerFixture() throws Exception {
        JoinTokenVerifier verifier = new JoinTokenVerifier(
                JoinTokenVerifier.publicKeyFromPem(SigningKeys.publicKeyPem(keys.getPublic())), Clock.systemUTC());
        // Matches here run up to 3x faster than real time, and so do the bots' snapshot acks: the
        // edge's frame rate is scaled to match, as a real-time server's would fit real-time clients.
        server =
                new GameSocketServer(0, verifier, metrics, EdgeLimits.defaults().withFrameRate(360, 120));
        server.start();
    }

    /**
     * Short phases: warmup 1 s, no ending, a scoreboard of {@code scoreboardSeconds}; the match
     * waits up to 20 s for its roster.
     */
    static MatchSettings quick(int scoreboardSeconds) {
        return MatchSettings.defaults()
                .withFlow(new MatchSettings.Flow(4, 50, 600, false, 20, 1, 0, scoreboardSeconds, 60, 2, 2));
    }

    /** Hosts a match for {@code players} (alternating red, blue) with a kill and time limit. */
    void host(
            String matchId,
            List<String> players,
            int killLimit,
            int timeLimitSeconds,
            MatchSettings settings,
            double timeScale) {
        MatchAllocation.Builder a = MatchAllocation.newBuilder()
                .setMatchId(matchId)
                .setMode(players.size() / 2 + "v" + players.size() / 2)
                .setMapName("depot")
                .setRules(MatchRules.newBuilder().setKillLimit(killLimit).setTimeLimitSeconds(timeLimitSeconds))
                .setAllocatedAtEpochSeconds(Instant.now().getEpochSecond());
        for (int i = 0; i < players.size(); i++) {
            a.addRoster(RosterPlayer.newBuilder()
                    .setPlayerId(players.get(i))
                    .setTeam(i % 2 == 0 ? RosterTeam.ROSTER_TEAM_RED : RosterTeam.ROSTER_TEAM_BLUE));
        }
        room = MatchRoom.open(
                a.build(),
                RoomConfig.defaults().withBaseSettings(settings).withTimeScale(timeScale),
                new RoomListener() {
                    @Override
                    public void onRoundEnded(RoundResult result) {
                        rounds.add(result);
                    }

                    @Override
                    public void onRoomFinished() {
                        finished.countDown();
                    }
                },
                metrics);
        server.host(room, SERVER);
    }

    String token(String playerId, String matchId) {
        return signer.sign(playerId, matchId, SERVER, Instant.now());
    }

    Assignment assignment(String playerId, String matchId) {
        return Assignment.newBuilder()
                .setHost("127.0.0.1")
                .setPort(server.port())
                .setToken(token(playerId, matchId))
                .setMatchId(matchId)
                .build();
    }

    @Override
    public void close() {
        if (room != null) {
            room.close();
        }
        server.close();
    }
}
