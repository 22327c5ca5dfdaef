package dev.trespasser.bots;

import dev.trespasser.bots.account.FrontendClient;
import dev.trespasser.bots.game.ConnectionEvent;
import dev.trespasser.bots.game.GameConnection;
import dev.trespasser.bots.game.MatchPlayer;
import dev.trespasser.bots.stats.RunStats;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.GameMode;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.MatchEnd;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.PlayerScore;
import dev.trespasser.proto.game.v1.Scoreboard;
import dev.trespasser.proto.game.v1.Team;
import dev.trespasser.proto.game.v1.Welcome;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One headless player on its own thread: logs in, then queues and plays matches until it has
 * played its share, the run's time is up, or it is stopped. See {@link BotListener} for what it
 * reports along the way.
 */
final class Bot implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Bot.class);

    /** Closes after which rejoining with the same token cannot work: queue again instead. */
    private static final Set<Integer> FINAL_CLOSES = Set.of(
            closeCode(ErrorReason.ERROR_REASON_BAD_TOKEN),
            closeCode(ErrorReason.ERROR_REASON_TOKEN_EXPIRED),
            closeCode(ErrorReason.ERROR_REASON_WRONG_MATCH),
            closeCode(ErrorReason.ERROR_REASON_NOT_ON_ROSTER),
            closeCode(ErrorReason.ERROR_REASON_MATCH_OVER),
            closeCode(ErrorReason.ERROR_REASON_NO_MATCH),
            closeCode(ErrorReason.ERROR_REASON_REPLACED),
            closeCode(ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION),
            closeCode(ErrorReason.ERROR_REASON_WRONG_SERVER));
    /** How long the server may take to welcome a join. */
    private static final Duration WELCOME_TIMEOUT = Duration.ofSeconds(10);
    /** How long the bot waits between matches when the queue failed, so a broken stack is not hammered. */
    private static final Duration REQUEUE_PAUSE = Duration.ofSeconds(1);

    private final String label;
    private final int index;
    private final LoadConfig config;
    private final BotListener listener;
    private final RunStats stats;
    private final FrontendClient frontend;
    private final ScheduledExecutorService ticker;
    private final long deadlineNanos;
    private final SSLContext wss;
    /** The close code of the last join that failed (1006 when the connection itself failed). */
    private int lastJoinClose;

    private final SplittableRandom random;
    private final BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean stopped;
    private volatile Context.CancellableContext watch;
    private volatile GameConnection connection;
    private int matchesPlayed;

    Bot(
            int index,
            LoadConfig config,
            BotListener listener,
            RunStats stats,
            FrontendClient frontend,
            ScheduledExecutorService ticker,
            long deadlineNanos) {
        this(index, config, listener, stats, frontend, ticker, deadlineNanos, null);
    }

    /** @param wss whom wss:// connections trust ({@code null}: the JDK's default) */
    Bot(
            int index,
            LoadConfig config,
            BotListener listener,
            RunStats stats,
            FrontendClient frontend,
            ScheduledExecutorService ticker,
            long deadlineNanos,
            SSLContext wss) {
        this.wss = wss;
        this.index = index;
        this.label = config.botLabel(index);
        this.config = config;
        this.listener = listener;
        this.stats = stats;
        this.frontend = frontend;
        this.ticker = ticker;
        this.deadlineNanos = deadlineNanos;
        // Each bot its own stream, all derived from the run's seed.
        this.random = new SplittableRandom(config.seed() * 1_000_003L + index);
    }

    String label() {
        return label;
    }

    /** Stops the bot wherever it is: leaves the queue, closes its socket. Idempotent. */
    void stop() {
        stopped = true;
        Context.CancellableContext w = watch;
        if (w != null) {
            w.cancel(null);
        }
        GameConnection c = connection;
        if (c != null) {
            c.close(1001, "bot stopping");
        }
        events.offer(new ConnectionEvent.Closed(null, 1001, "bot stopping", null, true));
    }

    /** Not stopped and within the run's duration (any thread may ask). */
    boolean active() {
        return !stopped && System.nanoTime() < deadlineNanos;
    }

    private boolean running() {
        return !stopped
                && System.nanoTime() < deadlineNanos
                && !Thread.currentThread().isInterrupted();
    }

    @Override
    public void run() {
        stats.botsStarted.increment();
        try {
            if (!logIn()) {
                return;
            }
            while (running() && (config.matchesPerBot() == 0 || matchesPlayed < config.matchesPerBot())) {
                Optional<Assignment> assignment = queue();
                if (assignment.isPresent()) {
                    play(assignment.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running()) {
                error(e);
            }
        } finally {
            stats.botsFinished.increment();
            listener.onFinished(label);
        }
    }

    private boolean logIn() throws InterruptedException {
        while (running()) {
            try {
                Session s = config.guests()
                        ? frontend.loginGuest()
                        : frontend.registerAndLogin(config.accountName(index), password());
                listener.onLoggedIn(label, s.getPlayerId(), s.getUsername());
                return true;
            } catch (StatusRuntimeException e) {
                // Reported even when the run is ending: a bot that never got in is a failed bot.
                error(e);
                if (!running()) {
                    return false;
                }
                pause(REQUEUE_PAUSE);
            }
        }
        return false;
    }

    /** Test accounts: the password follows from the name, so a later run can log in again. */
    private String password() {
        return "bot-" + config.accountName(index) + "-" + Long.toHexString(config.seed());
    }

    /** FindMatch, then WatchAssignment until the assignment; empty when the queue failed or the bot stops. */
    private Optional<Assignment> queue() throws InterruptedException {
        long started = System.nanoTime();
        boolean queued = false;
        try {
            frontend.findMatch(mode(), config.region());
            queued = true;
            stats.botsQueued.increment();
            listener.onQueued(label);
            Context.CancellableContext ctx = Context.current().withCancellation();
            watch = ctx;
            if (stopped) {
                ctx.cancel(null);
            }
            try {
                Assignment a = ctx.call(this::watchUntilAssigned);
                stats.timeToMatch.record(System.nanoTime() - started);
                listener.onAssigned(label, a.getMatchId(), a.getHost(), a.getPort());
                return Optional.of(a);
            } finally {
                watch = null;
                ctx.cancel(null);
            }
        } catch (StatusRuntimeException e) {
            if (!running()) {
                if (queued) {
                    frontend.cancelMatch();
                }
                return Optional.empty();
            }
            Status.Code code = e.getStatus().getCode();
            String why = code == Status.Code.DEADLINE_EXCEEDED ? "queue timed out" : "queue failed: " + e.getStatus();
            if (code != Status.Code.DEADLINE_EXCEEDED) {
                error(e);
            }
            requeue(why);
            pause(REQUEUE_PAUSE);
            return Optional.empty();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (queued) {
                stats.botsQueued.decrement();
            }
        }
    }

    /**
     * WatchAssignment until the assignment. UNAVAILABLE means the frontend restarted or lost Redis
     * for a moment while the player stays queued: watch again instead of queueing anew.
     */
    private Assignment watchUntilAssigned() throws InterruptedException {
        long backoff = 200;
        while (true) {
            try {
                return frontend.awaitAssignment(() -> {});
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || !running()) {
                    throw e;
                }
                log.debug("{}: WatchAssignment unavailable ({}); watching again", label, e.getStatus());
            }
            pause(Duration.ofMillis(backoff));
            backoff = Math.min(5_000, backoff * 2);
        }
    }

    private GameMode mode() {
        return dev.trespasser.proto.GameMode.fromLabel(config.mode())
                .orElse(dev.trespasser.proto.GameMode.DEFAULT)
                .wire();
    }

    /** Plays one assigned match to its end (all its rounds), reconnecting when it can. */
    void play(Assignment a) throws InterruptedException {
        MatchPlayer player =
                new MatchPlayer(random.nextLong(), config.behaviour().inputRateHz(), stats);
        BotBehaviour behaviour = config.behaviour();
        String matchId = a.getMatchId();
        events.clear();
        stats.botsPlaying.increment();
        try {
            Welcome first = firstJoin(a, player);
            if (first == null) {
                if (running()) {
                    giveUp(matchId, "could not join " + a.getHost() + ":" + a.getPort());
                }
                return;
            }
            listener.onWelcome(label, matchId, teamName(first.getTeam()));
            int round = 1;
            // When, after the match went active, this bot drops on purpose (once per match at most).
            long dropAfterNanos = random.nextDouble() < behaviour.dropAndReconnectChance()
                    ? TimeUnit.MILLISECONDS.toNanos(2_000 + random.nextInt(8_000))
                    : -1;
            // Decided once per round and given to every connection of that round: a rejoin opens
            // a new connection, and the server forgets a vote when its player drops.
            boolean vote = decideVote(behaviour);
            connection.voteThisRound(vote);
            Welcome current = first;
            while (running()) {
                ConnectionEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (dropAfterNanos >= 0 && droppingNow(dropAfterNanos)) {
                        dropAfterNanos = -1;
                        Welcome again = dropAndRejoin(a, player, current);
                        if (again == null) {
                            if (running()) {
                                giveUp(matchId, "could not rejoin after dropping on purpose");
                            }
                            return;
                        }
                        current = again;
                        connection.voteThisRound(vote);
                    }
                    continue;
                }
                if (e.connection() != null && e.connection() != connection) {
                    continue; // a connection we already left behind
                }
                if (e instanceof ConnectionEvent.RoundEnded ended) {
                    MatchOutcome outcome = outcome(ended.end(), ended.lastScoreboard(), current.getSlot(), round);
                    recordRound(outcome);
                    listener.onMatchEnded(label, matchId, outcome);
                    matchesPlayed++;
                    boolean more = config.matchesPerBot() == 0 || matchesPlayed < config.matchesPerBot();
                    if (!outcome.restarting() || !more || !running()) {
                        connection.close(1000, "match over");
                        return;
                    }
                    round++;
                    vote = decideVote(behaviour);
                    connection.voteThisRound(vote);
                } else if (e instanceof ConnectionEvent.Closed closed) {
                    if (!running()) {
                        return;
                    }
                    Welcome again = afterUnexpectedClose(a, player, current, closed);
                    if (again == null) {
                        return;
                    }
                    current = again;
                    connection.voteThisRound(vote);
                }
            }
        } finally {
            stats.botsPlaying.decrement();
            GameConnection c = connection;
            if (c != null) {
                c.close(1000, running() ? "leaving" : "bot stopping");
            }
            connection = null;
        }
    }

    /**
     * A bot on its last round does not vote: it leaves at the scoreboard, and its vote would
     * restart the match for players who may all be gone, holding the server a whole round.
     */
    private boolean decideVote(BotBehaviour behaviour) {
        boolean wants = random.nextDouble() < behaviour.voteRestartChance();
        boolean lastRound = config.matchesPerBot() != 0 && matchesPlayed + 1 >= config.matchesPerBot();
        return wants && !lastRound;
    }

    private boolean droppingNow(long dropAfterNanos) {
        GameConnection c = connection;
        long since = c == null ? 0 : c.activeSinceNanos();
        return since != 0 && c.phase() == MatchPhase.MATCH_PHASE_ACTIVE && System.nanoTime() - since >= dropAfterNanos;
    }

    private Welcome dropAndRejoin(Assignment a, MatchPlayer player, Welcome before) throws InterruptedException {
        GameConnection old = connection;
        old.drop();
        stats.disconnects.increment();
        listener.onDisconnected(label, a.getMatchId(), 1006, "dropped on purpose");
        pause(config.behaviour().reconnectDelay());
        if (!running()) {
            return null;
        }
        Welcome again = connect(a, player);
        if (again != null) {
            reconnected(a.getMatchId(), before, again);
        }
        return again;
    }

    /** The server closed on us (or went away): rejoin while that can work, else queue again. */
    private Welcome afterUnexpectedClose(
            Assignment a, MatchPlayer player, Welcome before, ConnectionEvent.Closed closed)
            throws InterruptedException {
        String reason = closed.notice() != null
                ? closed.notice().getReason() + ": " + closed.notice().getMessage()
                : closed.reason();
        stats.disconnects.increment();
        listener.onDisconnected(label, a.getMatchId(), closed.code(), reason);
        if (FINAL_CLOSES.contains(closed.code())) {
            giveUp(a.getMatchId(), "closed with " + closed.code() + " (" + reason + ")");
            return null;
        }
        Duration delay = config.behaviour().reconnectDelay();
        for (int attempt = 1; attempt <= config.behaviour().reconnectAttempts() && running(); attempt++) {
            pause(delay);
            Welcome again = connect(a, player);
            if (again != null) {
                reconnected(a.getMatchId(), before, again);
                return again;
            }
            delay = delay.multipliedBy(2);
        }
        if (running()) {
            giveUp(a.getMatchId(), "could not rejoin after close " + closed.code() + " (" + reason + ")");
        }
        return null;
    }

    private void reconnected(String matchId, Welcome before, Welcome again) {
        boolean sameSlot = again.getSlot() == before.getSlot()
                && again.getTeam() == before.getTeam()
                && again.getPlayerId().equals(before.getPlayerId());
        stats.reconnects.increment();
        if (!sameSlot) {
            stats.slotsLost.increment();
        }
        listener.onReconnected(label, matchId, sameSlot);
        listener.onWelcome(label, matchId, teamName(again.getTeam()));
    }

    /**
     * Opens a connection and waits for its welcome; null when it closed first or took too long
     * (the close, if any, was consumed here).
     */
    /**
     * The first join of a match, retried like a rejoin when the connection failed on the way
     * (refused, reset: a match server resets connections over its caps, e.g. more players behind
     * one address connecting at once than it admits before their joins) but not when the server
     * said the token cannot work.
     */
    private Welcome firstJoin(Assignment a, MatchPlayer player) throws InterruptedException {
        Welcome first = connect(a, player);
        Duration delay = config.behaviour().reconnectDelay();
        for (int attempt = 1;
                first == null
                        && !FINAL_CLOSES.contains(lastJoinClose)
                        && attempt <= config.behaviour().reconnectAttempts()
                        && running();
                attempt++) {
            pause(delay);
            first = connect(a, player);
            delay = delay.multipliedBy(2);
        }
        return first;
    }

    private Welcome connect(Assignment a, MatchPlayer player) throws InterruptedException {
        GameConnection c = new GameConnection(
                GameConnection.uri(a.getHost(), a.getPort(), a.getTls()), wss, player, stats, events::offer);
        connection = c;
        lastJoinClose = 1006;
        if (!c.open(a.getToken(), ticker)) {
            drainClose(c);
            return null;
        }
        long deadline = System.nanoTime() + WELCOME_TIMEOUT.toNanos();
        while (running()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                c.close(1000, "no welcome");
                return null;
            }
            ConnectionEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null || (e.connection() != null && e.connection() != c)) {
                continue;
            }
            if (e instanceof ConnectionEvent.Welcomed w) {
                return w.welcome();
            }
            if (e instanceof ConnectionEvent.Closed closed) {
                log.debug("{}: join to {} closed with {} {}", label, a.getMatchId(), closed.code(), closed.reason());
                lastJoinClose = closed.code();
                return null;
            }
        }
        return null;
    }

    private void drainClose(GameConnection c) {
        events.removeIf(e -> e.connection() == c && e instanceof ConnectionEvent.Closed);
    }

    private void giveUp(String matchId, String why) {
        log.info("{}: leaving match {}: {}", label, matchId, why);
        requeue(why);
    }

    private void requeue(String why) {
        stats.requeues.increment();
        listener.onRequeued(label, why);
    }

    private void recordRound(MatchOutcome outcome) {
        stats.matchesPlayed.increment();
        stats.kills.add(outcome.kills());
        if (outcome.abandoned()) {
            stats.abandonedMatches.increment();
        }
        if (outcome.restarting()) {
            stats.restarts.increment();
        }
    }

    static MatchOutcome outcome(MatchEnd end, Scoreboard board, int slot, int round) {
        int kills = 0;
        int deaths = 0;
        if (board != null) {
            for (PlayerScore p : board.getPlayersList()) {
                if (p.getSlot() == slot) {
                    kills = p.getKills();
                    deaths = p.getDeaths();
                }
            }
        }
        Optional<String> winner = end.getWinner() == Team.TEAM_RED || end.getWinner() == Team.TEAM_BLUE
                ? Optional.of(teamName(end.getWinner()))
                : Optional.empty();
        return new MatchOutcome(
                winner,
                end.getRedKills(),
                end.getBlueKills(),
                kills,
                deaths,
                end.getAbandoned(),
                end.getRestarting(),
                round);
    }

    static String teamName(Team team) {
        return switch (team) {
            case TEAM_RED -> "red";
            case TEAM_BLUE -> "blue";
            default -> "none";
        };
    }

    private void error(Throwable e) {
        stats.errors.increment();
        log.warn("{}: {}", label, e.toString());
        listener.onError(label, e);
    }

    private void pause(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (!stopped && System.nanoTime() < until) {
            Thread.sleep(Math.max(1, Math.min(50, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private static int closeCode(ErrorReason reason) {
        return 4000 + reason.getNumber();
    }
}
