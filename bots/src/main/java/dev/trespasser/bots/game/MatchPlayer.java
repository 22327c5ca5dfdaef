package dev.trespasser.bots.game;

import dev.trespasser.bots.ai.BotMind;
import dev.trespasser.bots.ai.Decision;
import dev.trespasser.bots.ai.HeardSound;
import dev.trespasser.bots.ai.MapKnowledge;
import dev.trespasser.bots.ai.Point;
import dev.trespasser.bots.ai.Situation;
import dev.trespasser.bots.stats.RunStats;
import dev.trespasser.game.wire.InputPacer;
import dev.trespasser.game.wire.MapGeometryCodec;
import dev.trespasser.game.wire.SnapshotAssembler;
import dev.trespasser.game.world.MapFormatException;
import dev.trespasser.proto.game.v1.ChargeState;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.PlayerFlag;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.RosterEntry;
import dev.trespasser.proto.game.v1.Team;
import dev.trespasser.proto.game.v1.Welcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bot's part in one match, across its connections: the mind, the input pacer (sequences
 * strictly increasing for the whole match, reconnects included; an input goes out when it changed
 * or every 100 ms, acks riding on it) and the send times that give round trips.
 */
public final class MatchPlayer {

    private static final Logger log = LoggerFactory.getLogger(MatchPlayer.class);
    /** Inputs remembered for round trips: at 60 Hz, 4 s of inputs in flight. */
    private static final int SENT_RING = 256;

    private final long seed;
    private final int inputRateHz;
    private final RunStats stats;
    private final long[] sentSequence = new long[SENT_RING];
    private final long[] sentNanos = new long[SENT_RING];
    private BotMind mind;
    private long mapFingerprint;
    private MapKnowledge map;
    private Welcome welcome;
    private Map<Integer, Team> teams = Map.of();
    /** Sequences for the whole match, when to send, and the ack riding on inputs (per connection). */
    private final InputPacer pacer = new InputPacer();

    private int acknowledgedSequence;

    public MatchPlayer(long seed, int inputRateHz, RunStats stats) {
        this.seed = seed;
        this.inputRateHz = inputRateHz;
        this.stats = stats;
    }

    public int inputRateHz() {
        return inputRateHz;
    }

    /** A (re)join was welcomed: continue above what the server applied, learn the map once per geometry. */
    synchronized void welcomed(Welcome w) {
        welcome = w;
        Map<Integer, Team> byslot = new HashMap<>();
        for (RosterEntry e : w.getRosterList()) {
            byslot.put(e.getSlot(), e.getTeam());
        }
        teams = byslot;
        pacer.welcomed(w.getLastInputSequence());
        acknowledgedSequence = Math.max(acknowledgedSequence, w.getLastInputSequence());
        // A reconnect to the same map keeps the mind (and its plans); another geometry replaces it.
        if (mind == null || (w.hasMap() && w.getMap().getFingerprint() != mapFingerprint)) {
            mapFingerprint = w.getMap().getFingerprint();
            map = knowledgeOf(w);
            mind = new BotMind(map, seed, inputRateHz);
        }
    }

    /** What this bot knows of the map it plays, or null before its first Welcome. */
    synchronized MapKnowledge map() {
        return map;
    }

    /** The walls come with the Welcome (a browser has no map files either). */
    private static MapKnowledge knowledgeOf(Welcome w) {
        if (!w.hasMap()) {
            log.warn("the Welcome carries no map geometry; playing without wall knowledge");
            return MapKnowledge.unknown();
        }
        try {
            return MapKnowledge.of(MapGeometryCodec.decode(w.getMap()));
        } catch (MapFormatException e) {
            // The message names the map only once the name passed the codec's printable check.
            log.warn("refusing the Welcome's map geometry, playing without wall knowledge: {}", e.getMessage());
            return MapKnowledge.unknown();
        }
    }

    /**
     * This tick's decision for the current view, as the message to send now: null when there is
     * nothing to play (not welcomed yet, or outside warmup and play), or when the server already
     * holds this input and the pacer's floor interval has not passed.
     */
    synchronized ClientMessage nextInput(SnapshotAssembler.View view, List<HeardSound> sounds, long nowNanos) {
        if (welcome == null) {
            return null;
        }
        MatchPhase phase = view.phase();
        if (phase != MatchPhase.MATCH_PHASE_WARMUP && phase != MatchPhase.MATCH_PHASE_ACTIVE) {
            return null;
        }
        Decision d = mind.decide(situation(view, sounds));
        ClientMessage message = pacer.offer(
                InputCommand.newBuilder()
                        .setButtons(d.buttons())
                        .setSpeed(d.speed())
                        .setAim(d.aim())
                        .setThrowDistance(d.throwDistance())
                        .build(),
                nowNanos);
        if (message != null) {
            int seq = message.getInput().getSequence();
            sentSequence[Integer.remainderUnsigned(seq, SENT_RING)] = Integer.toUnsignedLong(seq);
            sentNanos[Integer.remainderUnsigned(seq, SENT_RING)] = nowNanos;
        }
        return message;
    }

    /**
     * A snapshot of the current connection was applied. Returns the previous snapshot's ack when
     * no input carried it, to be sent alone now, or null.
     */
    ClientMessage snapshotApplied(int snapshotTick) {
        return pacer.snapshotApplied(snapshotTick);
    }

    /** A snapshot says the server applied inputs up to {@code applied}: one round trip per input it newly covers. */
    synchronized void inputsApplied(int applied, long nowNanos) {
        if (applied <= acknowledgedSequence || applied > pacer.lastSequence()) {
            // Older news, or a sequence this bot never sent (a confused or hostile server): no sample.
            return;
        }
        for (long s = Math.max(acknowledgedSequence + 1L, applied - SENT_RING + 1L); s <= applied; s++) {
            int i = (int) (s % SENT_RING);
            if (sentSequence[i] == s) {
                stats.inputRoundTrip.record(nowNanos - sentNanos[i]);
            }
        }
        acknowledgedSequence = applied;
    }

    private Situation situation(SnapshotAssembler.View view, List<HeardSound> sounds) {
        int mySlot = welcome.getSlot();
        Team myTeam = welcome.getTeam();
        double scale = welcome.getPositionScale() > 0 ? welcome.getPositionScale() : 8;
        PlayerState me = view.players().get(mySlot);
        boolean alive = me != null && (me.getFlags() & PlayerFlag.PLAYER_FLAG_ALIVE_VALUE) != 0;
        Point self = me == null ? new Point(0, 0) : new Point(me.getX() / scale, me.getY() / scale);
        List<Point> enemies = new ArrayList<>();
        for (PlayerState p : view.players().values()) {
            Team team = teams.getOrDefault(p.getSlot(), Team.TEAM_UNSPECIFIED);
            if (p.getSlot() != mySlot && team != myTeam && (p.getFlags() & PlayerFlag.PLAYER_FLAG_ALIVE_VALUE) != 0) {
                enemies.add(new Point(p.getX() / scale, p.getY() / scale));
            }
        }
        List<Point> charges = new ArrayList<>();
        for (ChargeState c : view.charges().values()) {
            charges.add(new Point(c.getX() / scale, c.getY() / scale));
        }
        boolean hasCharge = me != null && (me.getFlags() & PlayerFlag.PLAYER_FLAG_HAS_CHARGE_VALUE) != 0;
        return new Situation(
                self,
                alive,
                hasCharge,
                view.phase() == MatchPhase.MATCH_PHASE_ACTIVE,
                enemies,
                sounds,
                charges,
                view.damagedSlices());
    }
}
