package dev.trespasser.match.room;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.maps.MapCatalog;
import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.match.protocol.EventCollector;
import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.match.protocol.ServerMessages;
import dev.trespasser.match.protocol.SliceJournal;
import dev.trespasser.match.protocol.SnapshotEncoder;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.MatchEvent;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.proto.MatchLifetime;
import dev.trespasser.match.sim.Outcome;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.Player;
import dev.trespasser.match.sim.ReplayCodec;
import dev.trespasser.match.sim.Roster;
import dev.trespasser.match.sim.Team;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.match.sim.Winner;
import dev.trespasser.match.sim.world.GameMap;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.game.v1.ErrorReason;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Hosts one match (one allocation) on a dedicated tick thread at the simulation's rate. The
 * simulation is single-threaded: joins, inputs, acks, votes and leaves arrive from the edge's
 * threads through a queue drained at the start of each tick, and everything sent to players is
 * built on the tick thread. Snapshots go out at the configured rate, events before them.
 */
public final class MatchRoom implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MatchRoom.class);
    private static final String DEFAULT_MAP = "depot";
    /** A tick loop this far behind gives up catching up instead of bursting ticks. */
    private static final int MAX_CATCH_UP_TICKS = 5;
    /** Bounds on a private match's rules. */
    static final int MAX_KILL_LIMIT = 10_000;
    static final int MAX_TIME_LIMIT_SECONDS = 3 * 60 * 60;

    private final MatchAllocation allocation;
    private final RoomConfig config;
    private final RoomListener listener;
    private final MatchServerMetrics metrics;
    private final Match match;
    private final SliceJournal journal;
    private final Seat[] seats;
    private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final int tickRate;
    private final long periodNanos;

    private volatile boolean running = true;
    /** Set once the match is over: no more joins. */
    private volatile boolean finished;
    private boolean linksClosed;

    private volatile long sampledStateHash;
    private int snapshotCredit;
    private int round = 1;
    /** Rounds the allocation allows: votes on the last one's scoreboard do not restart the match. */
    private final int maxRounds;
    private int roundStartTick;
    private int roundEndTick;
    private int lastScoreboardSeconds = -1;
    private final int[] endKills;
    private final int[] endDeaths;
    private final boolean[] endDropped;
    private int endRed;
    private int endBlue;
    private Winner endWinner = Winner.NONE;

    private MatchRoom(MatchAllocation allocation, RoomConfig config, RoomListener listener, MatchServerMetrics metrics,
                      Match match) {
        this.allocation = allocation;
        this.config = config;
        this.listener = listener;
        this.metrics = metrics;
        this.match = match;
        this.journal = new SliceJournal(match.slices().count());
        this.maxRounds = MatchLifetime.maxRounds(allocation.getRules());
        this.tickRate = match.settings().timing().tickRateHz();
        this.periodNanos = Math.max(1, (long) (1_000_000_000L / (tickRate * config.timeScale())));
        int n = match.playerCount();
        this.seats = new Seat[n];
        for (int i = 0; i < n; i++) {
            seats[i] = new Seat(i, new SnapshotEncoder(i, tickRate), new EventCollector(i, tickRate));
        }
        this.endKills = new int[n];
        this.endDeaths = new int[n];
        this.endDropped = new boolean[n];
        this.thread = new Thread(this::run, "match-" + allocation.getMatchId());
        this.thread.setDaemon(true);
    }

    /**
     * Builds the match from the allocation (map, roster, rules) and starts ticking in the waiting
     * phase.
     *
     * @throws IllegalArgumentException when the allocation cannot be hosted (unknown map, bad roster)
     */
    public static MatchRoom open(MatchAllocation allocation, RoomConfig config, RoomListener listener,
                                 MatchServerMetrics metrics) {
        if (allocation.getMatchId().isEmpty()) {
            throw new IllegalArgumentException("the allocation has no match id");
        }
        GameMap map = MapCatalog.load(allocation.getMapName().isEmpty() ? DEFAULT_MAP : allocation.getMapName());
        long seed = config.seed() != 0 ? config.seed() : new SecureRandom().nextLong();
        Match match = new Match(map, settings(config.baseSettings(), allocation.getRules()), roster(allocation), seed);
        MatchRoom room = new MatchRoom(allocation, config, listener, metrics, match);
        metrics.phase(Phase.WAITING);
        room.thread.start();
        log.info("room {} open: map {}, {} players, seed {}", allocation.getMatchId(), map.name(),
                match.playerCount(), seed);
        return room;
    }

    public String matchId() {
        return allocation.getMatchId();
    }

    /** Which slot a verified player takes, checked on the edge's thread before {@link #join}. */
    public int admit(String playerId) throws FrameRejectedException {
        if (finished || !running) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
        }
        int slot = match.roster().slotOf(playerId);
        if (slot < 0) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_NOT_ON_ROSTER,
                    "player is not on this match's roster");
        }
        return slot;
    }

    /** A verified player's connection takes its slot (replacing an older connection of theirs). */
    public void join(int slot, ClientLink link) {
        if (!running) {
            link.close(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
            return;
        }
        inbox.add(new Command.Join(slot, link));
    }

    public void receive(int slot, ClientLink link, ClientCommand command) {
        if (running) {
            inbox.add(new Command.Receive(slot, link, command));
        }
    }

    public void leave(int slot, ClientLink link) {
        if (running) {
            inbox.add(new Command.Leave(slot, link));
        }
    }

    /** The simulation tick the room has reached (for tests and logs; read without locking). */
    public int currentTick() {
        return match.currentTick();
    }

    /** The simulation's state hash, sampled once a second (for tests and debugging). */
    public long sampledStateHash() {
        return sampledStateHash;
    }

    public boolean isFinished() {
        return finished;
    }

    /** Stops ticking and disconnects everyone ("server shutting down"). Idempotent. */
    @Override
    public void close() {
        running = false;
        finished = true;
        if (Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            closeLinks(ErrorReason.ERROR_REASON_SERVER_SHUTTING_DOWN, "server shutting down");
        }
        refuseQueuedJoins(ErrorReason.ERROR_REASON_SERVER_SHUTTING_DOWN, "server shutting down");
    }

    /** Joins that raced with the end of the room are refused rather than left waiting. */
    private void refuseQueuedJoins(ErrorReason reason, String message) {
        Command c;
        while ((c = inbox.poll()) != null) {
            if (c instanceof Command.Join j) {
                j.link().close(reason, message);
            }
        }
    }

    // ---- the tick thread ----------------------------------------------------------------------

    private void run() {
        long next = System.nanoTime();
        try {
            while (running) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                synchronized (this) {
                    if (!running) {
                        break;
                    }
                    step();
                    flushLinks();
                }
                metrics.tickDuration(System.nanoTime() - now);
                next += periodNanos;
                if (System.nanoTime() - next > MAX_CATCH_UP_TICKS * periodNanos) {
                    next = System.nanoTime();
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("room {} failed; closing it", matchId(), e);
            running = false;
            finished = true;
            synchronized (this) {
                closeLinks(ErrorReason.ERROR_REASON_SERVER_SHUTTING_DOWN, "internal error");
            }
            notifyFinished();
        }
    }

    private void step() {
        drainInbox();
        Phase before = match.phase();
        if (before == Phase.SCOREBOARD) {
            captureScores();
        }
        TickResult r = match.tick();
        journal.record(r);
        if (r.tick() % tickRate == 0) {
            sampledStateHash = match.stateHash();
        }
        countEvents(r);
        for (Seat seat : seats) {
            if (seat.link != null) {
                seat.events.collect(r);
            }
        }
        Phase after = match.phase();
        if (after != before) {
            metrics.phase(after);
        }
        boolean roundOver = before == Phase.SCOREBOARD && after != Phase.SCOREBOARD;
        boolean abandoned = after == Phase.CLOSED && match.outcome() == Outcome.ABANDONED && before != Phase.SCOREBOARD;
        if (roundOver || abandoned) {
            flushEvents(r.tick());
            endRound(abandoned, after == Phase.WARMUP);
        }
        // After endRound: a restart enters warmup in the same tick the old round's scoreboard ends.
        for (MatchEvent.PhaseChange change : r.phaseChanges()) {
            if (change.phase() == Phase.WARMUP) {
                roundStartTick = r.tick();
            } else if (change.phase() == Phase.ENDING) {
                roundEndTick = r.tick();
            }
        }
        if (after == Phase.CLOSED) {
            finished = true;
            running = false;
            closeLinks(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
            refuseQueuedJoins(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
            notifyFinished();
            return;
        }
        if (after == Phase.SCOREBOARD) {
            sendScoreboard(before != Phase.SCOREBOARD || !r.votes().isEmpty());
        } else {
            lastScoreboardSeconds = -1;
        }
        snapshotCredit += config.snapshotRateHz();
        if (snapshotCredit >= tickRate) {
            snapshotCredit -= tickRate;
            flushEvents(r.tick());
            sendSnapshots();
        }
    }

    /** One hand-over to the network per tick for everything the tick sent. */
    private void flushLinks() {
        for (Seat seat : seats) {
            if (seat.link != null) {
                seat.link.flush();
            }
        }
    }

    private void drainInbox() {
        Command c;
        while ((c = inbox.poll()) != null) {
            if (c instanceof Command.Join j) {
                seat(j.slot(), j.link());
            } else if (c instanceof Command.Leave l) {
                unseat(l.slot(), l.link());
            } else if (c instanceof Command.Receive m) {
                apply(m.slot(), m.link(), m.command());
            }
        }
    }

    private void seat(int slot, ClientLink link) {
        Seat seat = seats[slot];
        boolean wasConnected = seat.link != null;
        if (seat.link != null && seat.link != link) {
            // Documented: a newer connection of the same player wins; the old one is told why.
            seat.link.close(ErrorReason.ERROR_REASON_REPLACED, "replaced by a newer connection of this player");
            seat.link = null;
            metrics.playerDisconnected();
        }
        if (!match.player(slot).connected() && !match.connect(slot)) {
            link.close(ErrorReason.ERROR_REASON_MATCH_OVER, "this player's slot was given up");
            if (wasConnected) {
                playerDisconnected(slot);
            }
            return;
        }
        seat.link = link;
        metrics.playerConnected();
        if (!wasConnected) {
            try {
                listener.onPlayerConnected(match.player(slot).playerId());
            } catch (RuntimeException e) {
                log.error("room {}: player listener failed", matchId(), e);
            }
        }
        seat.encoder.reset();
        seat.events.drain(0);
        send(seat, ServerMessages.welcome(match, slot, matchId(), config.snapshotRateHz()), false);
        if (match.phase() == Phase.SCOREBOARD) {
            send(seat, ServerMessages.scoreboard(match), false);
        }
    }

    private void unseat(int slot, ClientLink link) {
        Seat seat = seats[slot];
        if (seat.link != link) {
            return;
        }
        seat.link = null;
        metrics.playerDisconnected();
        match.disconnect(slot);
        playerDisconnected(slot);
    }

    private void playerDisconnected(int slot) {
        try {
            listener.onPlayerDisconnected(match.player(slot).playerId());
        } catch (RuntimeException e) {
            log.error("room {}: player listener failed", matchId(), e);
        }
    }

    private void apply(int slot, ClientLink link, ClientCommand command) {
        Seat seat = seats[slot];
        if (seat.link != link) {
            return;
        }
        if (command instanceof ClientCommand.Input in) {
            match.submitInput(slot, in.input());
        } else if (command instanceof ClientCommand.Ack ack) {
            seat.encoder.acknowledge(ack.snapshotTick());
        } else if (command instanceof ClientCommand.Vote && round < maxRounds) {
            // Join tokens and assignments outlive maxRounds rounds, no more (MatchLifetime).
            match.vote(slot);
        }
    }

    private void countEvents(TickResult r) {
        if (!r.kills().isEmpty()) {
            metrics.kills(r.kills().size());
        }
        int destroyed = 0;
        for (MatchEvent.SliceChange change : r.sliceChanges()) {
            destroyed += change.hp() == 0 ? 1 : 0;
        }
        if (destroyed > 0) {
            metrics.slicesDestroyed(destroyed);
        }
    }

    private void flushEvents(int tick) {
        for (Seat seat : seats) {
            if (seat.link != null && !seat.events.isEmpty()) {
                send(seat, ServerMessage.newBuilder().setEvents(seat.events.drain(tick)).build(), false);
            }
        }
    }

    private void sendSnapshots() {
        for (Seat seat : seats) {
            if (seat.link == null) {
                continue;
            }
            var snapshot = seat.encoder.encode(match, journal);
            if (snapshot == null) {
                continue;
            }
            if (send(seat, ServerMessage.newBuilder().setSnapshot(snapshot).build(), true)) {
                seat.encoder.commit();
                metrics.snapshotSent();
            } else {
                metrics.snapshotDropped();
            }
        }
    }

    private void sendScoreboard(boolean changed) {
        int seconds = (match.phaseTicksLeft() + tickRate - 1) / tickRate;
        if (!changed && seconds == lastScoreboardSeconds) {
            return;
        }
        lastScoreboardSeconds = seconds;
        broadcast(ServerMessages.scoreboard(match));
    }

    private void broadcast(ServerMessage message) {
        byte[] frame = message.toByteArray();
        for (Seat seat : seats) {
            if (seat.link != null && seat.link.send(frame, false)) {
                metrics.bytesSent(frame.length);
            }
        }
    }

    private boolean send(Seat seat, ServerMessage message, boolean droppable) {
        byte[] frame = message.toByteArray();
        boolean sent = seat.link.send(frame, droppable);
        if (sent) {
            metrics.bytesSent(frame.length);
        }
        return sent;
    }

    /** Scores as the scoreboard shows them: a restart zeroes them in the tick that ends it. */
    private void captureScores() {
        for (int s = 0; s < seats.length; s++) {
            Player p = match.player(s);
            endKills[s] = p.kills();
            endDeaths[s] = p.deaths();
            endDropped[s] = p.dropped();
        }
        endRed = match.kills(Team.RED);
        endBlue = match.kills(Team.BLUE);
        endWinner = match.winner();
    }

    private void endRound(boolean abandoned, boolean restarting) {
        MatchResult.Builder result = MatchResult.newBuilder()
                .setMatchId(matchId())
                .setMode(allocation.getMode())
                .setMapName(match.map().name())
                .setRound(round)
                .setEndedAtEpochSeconds(System.currentTimeMillis() / 1000);
        if (abandoned) {
            result.setOutcome(dev.trespasser.proto.results.v1.Outcome.OUTCOME_ABANDONED);
            for (int s = 0; s < seats.length; s++) {
                Player p = match.player(s);
                result.addPlayers(PlayerResult.newBuilder().setPlayerId(p.playerId()).setTeam(resultTeam(p.team()))
                        .setPresentAtEnd(p.connected()));
            }
        } else {
            result.setOutcome(switch (endWinner) {
                case RED -> dev.trespasser.proto.results.v1.Outcome.OUTCOME_RED_WON;
                case BLUE -> dev.trespasser.proto.results.v1.Outcome.OUTCOME_BLUE_WON;
                case DRAW, NONE -> dev.trespasser.proto.results.v1.Outcome.OUTCOME_DRAW;
            });
            result.setRedKills(endRed).setBlueKills(endBlue)
                    .setDurationSeconds(Math.max(0, roundEndTick - roundStartTick) / tickRate);
            for (int s = 0; s < seats.length; s++) {
                Player p = match.player(s);
                result.addPlayers(PlayerResult.newBuilder()
                        .setPlayerId(p.playerId())
                        .setTeam(resultTeam(p.team()))
                        .setKills(endKills[s])
                        .setDeaths(endDeaths[s])
                        .setPresentAtEnd(!endDropped[s]));
            }
        }
        broadcast(ServerMessages.matchEnd(abandoned ? Winner.NONE : endWinner, restarting, abandoned,
                abandoned ? 0 : endRed, abandoned ? 0 : endBlue));
        RoundResult roundResult = new RoundResult(result.build(),
                ReplayCodec.encode(restarting ? match.restartedRoundReplay() : match.replay()), restarting);
        log.info("room {} round {} ended: {} {}-{}{}", matchId(), round, roundResult.matchResult().getOutcome(),
                endRed, endBlue, restarting ? ", restarting" : "");
        round++;
        try {
            listener.onRoundEnded(roundResult);
        } catch (RuntimeException e) {
            log.error("room {}: round listener failed", matchId(), e);
        }
    }

    private void notifyFinished() {
        try {
            listener.onRoomFinished();
        } catch (RuntimeException e) {
            log.error("room {}: finish listener failed", matchId(), e);
        }
    }

    private void closeLinks(ErrorReason reason, String message) {
        if (linksClosed) {
            return;
        }
        linksClosed = true;
        for (Seat seat : seats) {
            if (seat.link != null) {
                seat.link.close(reason, message);
                seat.link = null;
                metrics.playerDisconnected();
                playerDisconnected(seat.slot);
            }
        }
        metrics.phase(null);
    }

    private static ResultTeam resultTeam(Team team) {
        return team == Team.RED ? ResultTeam.RESULT_TEAM_RED : ResultTeam.RESULT_TEAM_BLUE;
    }

    /**
     * The allocation's rules over the base settings: 0 (unset) keeps the base's value (GAME.md: 50
     * kills, 600 s, friendly fire off). Values no match could mean are refused, so the lifecycle
     * gives the server back instead of hosting a match that would never end.
     */
    static MatchSettings settings(MatchSettings base, MatchRules rules) {
        MatchSettings.Flow flow = base.flow();
        // uint32 on the wire: read unsigned, or 2^32-1 would arrive as -1.
        long killLimit = Integer.toUnsignedLong(rules.getKillLimit());
        long timeLimit = Integer.toUnsignedLong(rules.getTimeLimitSeconds());
        if (killLimit > MAX_KILL_LIMIT) {
            throw new IllegalArgumentException("kill limit " + killLimit + " is over " + MAX_KILL_LIMIT);
        }
        if (timeLimit > MAX_TIME_LIMIT_SECONDS) {
            throw new IllegalArgumentException("time limit " + timeLimit + " s is over " + MAX_TIME_LIMIT_SECONDS + " s");
        }
        return base.withPrivateRules(killLimit != 0 ? (int) killLimit : flow.killLimit(),
                timeLimit != 0 ? (int) timeLimit : flow.timeLimitSeconds(),
                rules.getFriendlyFire() || flow.friendlyFire());
    }

    static Roster roster(MatchAllocation allocation) {
        List<Roster.Entry> entries = new ArrayList<>();
        for (RosterPlayer p : allocation.getRosterList()) {
            Team team = switch (p.getTeam()) {
                case ROSTER_TEAM_RED -> Team.RED;
                case ROSTER_TEAM_BLUE -> Team.BLUE;
                default -> throw new IllegalArgumentException("player " + p.getPlayerId() + " has no team");
            };
            entries.add(new Roster.Entry(p.getPlayerId(), team));
        }
        return new Roster(entries);
    }

    private static final class Seat {
        final int slot;
        final SnapshotEncoder encoder;
        final EventCollector events;
        ClientLink link;

        Seat(int slot, SnapshotEncoder encoder, EventCollector events) {
            this.slot = slot;
            this.encoder = encoder;
            this.events = events;
        }
    }

    private sealed interface Command {
        record Join(int slot, ClientLink link) implements Command {
        }

        record Leave(int slot, ClientLink link) implements Command {
        }

        record Receive(int slot, ClientLink link, ClientCommand command) implements Command {
        }
    }
}
