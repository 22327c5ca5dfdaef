package dev.trespasser.match.room;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.match.protocol.RosterNames;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.MatchEvent;
import dev.trespasser.match.sim.Outcome;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts one match (one allocation) on its own {@link TickLoop} at the simulation's rate. The
 * simulation is single-threaded: joins, inputs, acks, votes and leaves arrive from the edge's
 * threads through the {@link Inbox}, drained by {@link Seating} at the start of each tick;
 * {@link FanOut} sends players their events and snapshots, {@link RoundResults} turns each
 * round's end into a result. This class is the order of one tick.
 */
public final class MatchRoom implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MatchRoom.class);
    private static final String DEFAULT_MAP = "depot";

    private final MatchAllocation allocation;
    private final RoomListener listener;
    private final MatchServerMetrics metrics;
    private final Match match;
    private final Inbox inbox = new Inbox();
    private final Seating seating;
    private final FanOut fanOut;
    private final RoundResults results;
    private final TickLoop loop;
    private final int tickRate;

    private volatile boolean running = true;
    /** Set once the match is over: no more joins. */
    private volatile boolean finished;

    private volatile long sampledStateHash;
    private volatile IncomingFrames incoming = IncomingFrames.NONE;

    private MatchRoom(
            MatchAllocation allocation,
            RoomConfig config,
            RoomListener listener,
            MatchServerMetrics metrics,
            Match match) {
        this.allocation = allocation;
        this.listener = listener;
        this.metrics = metrics;
        this.match = match;
        this.tickRate = match.settings().timing().tickRateHz();
        RosterNames names = new RosterNames(match.roster());
        Seat[] seats = new Seat[match.playerCount()];
        for (int i = 0; i < seats.length; i++) {
            seats[i] = new Seat(i, tickRate, names);
        }
        this.fanOut = new FanOut(match, seats, metrics, config.snapshotRateHz());
        this.seating = new Seating(
                allocation.getMatchId(), match, names, seats, fanOut, listener, metrics, config.snapshotRateHz());
        this.results = new RoundResults(allocation, match);
        long periodNanos = Math.max(1, (long) (1_000_000_000L / (tickRate * config.timeScale())));
        this.loop = new TickLoop(
                "match-" + allocation.getMatchId(),
                periodNanos,
                this,
                new TickLoop.Body() {
                    @Override
                    public void beforeTick(long nanoTime) {
                        incoming.read(nanoTime);
                    }

                    @Override
                    public boolean tick() {
                        return step();
                    }

                    @Override
                    public void afterTick() {
                        fanOut.flushLinks();
                    }

                    @Override
                    public void failed(Throwable error) {
                        fail(error);
                    }
                },
                metrics);
    }

    /**
     * Builds the match from the allocation (map, roster, rules) and starts ticking in the waiting
     * phase.
     *
     * @throws IllegalArgumentException when the allocation cannot be hosted (unknown map, bad roster)
     */
    public static MatchRoom open(
            MatchAllocation allocation, RoomConfig config, RoomListener listener, MatchServerMetrics metrics) {
        if (allocation.getMatchId().isEmpty()) {
            throw new IllegalArgumentException("the allocation has no match id");
        }
        GameMap map = MapCatalog.load(allocation.getMapName().isEmpty() ? DEFAULT_MAP : allocation.getMapName());
        long seed = config.seed() != 0 ? config.seed() : new SecureRandom().nextLong();
        Match match = new Match(
                map,
                AllocationRules.settings(config.baseSettings(), allocation.getRules()),
                AllocationRules.roster(allocation),
                seed);
        MatchRoom room = new MatchRoom(allocation, config, listener, metrics, match);
        metrics.phase(Phase.WAITING);
        room.loop.start();
        log.info(
                "room {} open: map {}, {} players, seed {}",
                allocation.getMatchId(),
                map.name(),
                match.playerCount(),
                seed);
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
            throw new FrameRejectedException(
                    ErrorReason.ERROR_REASON_NOT_ON_ROSTER, "player is not on this match's roster");
        }
        return slot;
    }

    /**
     * A verified player's connection takes its slot (replacing an older connection of theirs);
     * {@code displayName} is what the join token calls them (JoinClaims.displayName).
     */
    public void join(int slot, ClientLink link, String displayName) {
        if (!running) {
            link.close(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
            return;
        }
        inbox.add(new Inbox.Command.Join(slot, link, displayName));
    }

    /**
     * The edge that reads this room's players on its tick thread, before each tick; an edge that
     * hands frames over from threads of its own ({@link #receive}) needs none.
     */
    public void readIncomingFrom(IncomingFrames incoming) {
        this.incoming = incoming;
    }

    public void receive(int slot, ClientLink link, ClientCommand command) {
        if (running) {
            inbox.add(new Inbox.Command.Receive(slot, link, command));
        }
    }

    public void leave(int slot, ClientLink link) {
        if (running) {
            inbox.add(new Inbox.Command.Leave(slot, link));
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
        loop.stop();
        synchronized (this) {
            seating.closeAll(ErrorReason.ERROR_REASON_SERVER_SHUTTING_DOWN, "server shutting down");
        }
        inbox.refuseJoins(ErrorReason.ERROR_REASON_SERVER_SHUTTING_DOWN, "server shutting down");
        incoming.roomClosed();
    }

    // ---- the tick thread ----------------------------------------------------------------------

    /** One tick; false once the match is closed. */
    private boolean step() {
        if (!running) {
            return false;
        }
        seating.drain(inbox, results.restartVotesCount());
        Phase before = match.phase();
        if (before == Phase.SCOREBOARD) {
            results.captureScores();
        }
        TickResult r = match.tick();
        if (r.tick() % tickRate == 0) {
            sampledStateHash = match.stateHash();
        }
        countEvents(r);
        fanOut.collect(r);
        Phase after = match.phase();
        if (after != before) {
            metrics.phase(after);
        }
        boolean roundOver = before == Phase.SCOREBOARD && after != Phase.SCOREBOARD;
        boolean abandoned = after == Phase.CLOSED && match.outcome() == Outcome.ABANDONED && before != Phase.SCOREBOARD;
        if (roundOver || abandoned) {
            fanOut.flushEvents(r.tick());
            endRound(abandoned, after == Phase.WARMUP);
        }
        // After endRound: a restart enters warmup in the same tick the old round's scoreboard ends.
        results.track(r);
        if (after == Phase.CLOSED) {
            finished = true;
            running = false;
            seating.closeAll(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
            inbox.refuseJoins(ErrorReason.ERROR_REASON_MATCH_OVER, "the match is over");
            incoming.roomClosed();
            notifyFinished();
            return false;
        }
        if (after == Phase.SCOREBOARD) {
            fanOut.scoreboard(before != Phase.SCOREBOARD || !r.votes().isEmpty());
        } else {
            fanOut.scoreboardOver();
        }
        fanOut.snapshotIfDue(r.tick());
        return true;
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

    private void endRound(boolean abandoned, boolean restarting) {
        fanOut.broadcast(results.matchEnd(abandoned, restarting));
        int round = results.round();
        RoundResult roundResult = results.end(abandoned, restarting);
        log.info(
                "room {} round {} ended: {} {}{}",
                matchId(),
                round,
                roundResult.matchResult().getOutcome(),
                results.score(),
                restarting ? ", restarting" : "");
        try {
            listener.onRoundEnded(roundResult);
        } catch (RuntimeException e) {
            log.error("room {}: round listener failed", matchId(), e);
        }
    }

    private void fail(Throwable error) {
        log.error("room {} failed; closing it", matchId(), error);
        running = false;
        finished = true;
        synchronized (this) {
            seating.closeAll(ErrorReason.ERROR_REASON_SERVER_SHUTTING_DOWN, "internal error");
        }
        incoming.roomClosed();
        notifyFinished();
    }

    private void notifyFinished() {
        try {
            listener.onRoomFinished();
        } catch (RuntimeException e) {
            log.error("room {}: finish listener failed", matchId(), e);
        }
    }
}
