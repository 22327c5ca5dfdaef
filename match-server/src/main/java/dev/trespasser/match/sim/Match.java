package dev.trespasser.match.sim;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import dev.trespasser.game.world.SliceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One match, simulated tick by tick. Commands ({@link #connect}, {@link #disconnect},
 * {@link #submitInput}, {@link #vote}) may be given between ticks; {@link #tick()} advances the
 * world by one tick and returns its events. Nothing here reads a clock, a socket or an unseeded
 * random source: the same map, settings, roster, seed and commands give the same state hash.
 *
 * <p>Not thread-safe: the caller owns the one thread that drives a match.
 */
public final class Match {

    private final GameMap map;
    private final MatchSettings settings;
    private final Roster roster;
    private final long seed;
    private final SliceField slices;
    private final Sight sight;
    private final SoundBoard sounds;
    private final SeededRandom random;
    private final Player[] players;
    private final TickResult result = new TickResult();
    private final List<MatchEvent.ConnectionChange> pendingConnections = new ArrayList<>();
    private final List<MatchEvent.RestartVote> pendingVotes = new ArrayList<>();
    private final PhaseClock phases;
    private final Movement movement;
    private final Combat combat;
    private final Charges charges;
    private final Spawning spawning;

    private final int reconnectTicks;

    private final boolean[] aliveAtTickStart;
    private final int[] visibleEnemies;

    private int tick;
    private int votes;
    private Winner winner;
    private Outcome outcome;

    /** This round's commands; a restart starts a new recording, so memory is per round. */
    private CommandRecorder log;
    /** How the current round began: null for the first round (from construction). */
    private RoundStart roundStart;
    /** The state hash as the round's last scoreboard tick began, which its replay ends with. */
    private long scoreboardEndHash;
    /** The finished round's replay, set only by the tick in which a restart began a new round. */
    private Replay restartedRound;

    public Match(GameMap map, MatchSettings settings, Roster roster, long seed) {
        if (map == null || settings == null || roster == null) {
            throw new IllegalArgumentException("map, settings and roster are required");
        }
        int red = 0;
        for (Roster.Entry e : roster.entries()) {
            red += e.team() == Team.RED ? 1 : 0;
        }
        if (red > settings.flow().maxPerTeam()
                || roster.size() - red > settings.flow().maxPerTeam()) {
            throw new IllegalArgumentException(
                    "roster exceeds " + settings.flow().maxPerTeam() + " players per team");
        }
        this.map = map;
        this.settings = settings;
        this.roster = roster;
        this.seed = seed;
        this.slices = new SliceField(map, settings.life().sliceHp());
        this.sight = new Sight(slices, settings.vision());
        this.sounds = new SoundBoard(slices, settings.sound());
        this.random = new SeededRandom(seed);
        this.players = new Player[roster.size()];
        for (int i = 0; i < players.length; i++) {
            players[i] = new Player(i, roster.get(i).playerId(), roster.get(i).team());
        }
        this.aliveAtTickStart = new boolean[players.length];
        this.visibleEnemies = new int[players.length];

        this.phases = new PhaseClock(settings, result);
        this.movement = new Movement(settings, slices, sounds);
        this.combat = new Combat(settings, players, slices, sight, sounds, random, result);
        this.charges = new Charges(settings, map, players, slices, sounds, combat, result);
        this.spawning = new Spawning(settings, map, players, slices, random, result);
        reconnectTicks = settings.secondsToTicks(settings.flow().reconnectSeconds());
        reset();
    }

    /** Back to the state right after construction: waiting, nobody connected, same seed. */
    public void reset() {
        tick = 0;
        phases.reset();
        combat.clearKills();
        votes = 0;
        charges.nextId(1);
        winner = Winner.NONE;
        outcome = Outcome.RUNNING;
        random.reseed(seed);
        slices.restore();
        charges.clear();
        sounds.clear();
        log = new CommandRecorder(players.length, 0);
        roundStart = null;
        restartedRound = null;
        pendingConnections.clear();
        pendingVotes.clear();
        for (Player p : players) {
            p.connected = false;
            p.everConnected = false;
            p.dropped = false;
            p.disconnectedTicks = 0;
            p.lastSequence = -1;
            p.pendingCount = 0;
            Arrays.fill(p.pending, null);
            p.speed = Speed.WALK;
            p.aim = 0;
            p.aimX = 1;
            p.aimY = 0;
            p.throwDistance = 0;
            resetForRound(p);
        }
        Arrays.fill(visibleEnemies, 0);
        result.begin(0);
    }

    // ---- commands ---------------------------------------------------------------------------

    /**
     * A roster player (re)connects. Refused once their slot was dropped or the match is over.
     * During warmup and play a (re)connecting player spawns on the next tick.
     */
    public boolean connect(int slot) {
        if (!validSlot(slot) || phases.phase() == Phase.CLOSED) {
            return false;
        }
        Player p = players[slot];
        if (p.dropped) {
            return false;
        }
        if (p.connected) {
            return true;
        }
        log.connect(tick, slot);
        p.connected = true;
        p.everConnected = true;
        p.disconnectedTicks = 0;
        if ((phases.phase() == Phase.WARMUP || phases.phase() == Phase.ACTIVE) && !p.alive && !p.awaitingSpawn) {
            p.awaitingSpawn = true;
            p.respawnTicks = 0;
        }
        pendingConnections.add(new MatchEvent.ConnectionChange(slot, MatchEvent.Connection.CONNECTED));
        return true;
    }

    /**
     * A player's connection dropped. Their character leaves the world (this is not a death) and
     * their slot is kept for the reconnect time. A respawn countdown pauses while they are away,
     * so leaving never skips it.
     */
    public boolean disconnect(int slot) {
        if (!validSlot(slot) || phases.phase() == Phase.CLOSED || !players[slot].connected) {
            return false;
        }
        log.disconnect(tick, slot);
        Player p = players[slot];
        p.connected = false;
        p.disconnectedTicks = 0;
        if (p.alive) {
            // Leaving is not dying: they come back on a fresh spawn without waiting.
            p.alive = false;
            p.awaitingSpawn = true;
            p.respawnTicks = 0;
        }
        p.moving = false;
        p.pendingCount = 0;
        p.buttons = 0;
        if (p.voted) {
            p.voted = false;
            votes--;
        }
        pendingConnections.add(new MatchEvent.ConnectionChange(slot, MatchEvent.Connection.DISCONNECTED));
        return true;
    }

    /**
     * Queues an input for the next tick. Refused (false) when the sequence was already applied,
     * is already queued, or the queue is full, or when the player's inputs used up their share of
     * the round's replay (only a hostile client gets there); queued inputs are applied in
     * sequence order.
     */
    public boolean submitInput(int slot, PlayerInput input) {
        if (!validSlot(slot) || input == null || phases.phase() == Phase.CLOSED) {
            return false;
        }
        Player p = players[slot];
        long sequence = Integer.toUnsignedLong(input.sequence());
        if (!p.connected
                || sequence <= p.lastSequence
                || p.pendingCount == Player.MAX_PENDING_INPUTS
                || log.full(slot)) {
            return false;
        }
        int at = p.pendingCount;
        while (at > 0) {
            long queued = Integer.toUnsignedLong(p.pending[at - 1].sequence());
            if (queued == sequence) {
                return false;
            }
            if (queued < sequence) {
                break;
            }
            at--;
        }
        System.arraycopy(p.pending, at, p.pending, at + 1, p.pendingCount - at);
        p.pending[at] = input;
        p.pendingCount++;
        log.input(tick, slot, input);
        return true;
    }

    /** A vote to play again; only during the scoreboard, once per player. */
    public boolean vote(int slot) {
        if (!validSlot(slot) || phases.phase() != Phase.SCOREBOARD) {
            return false;
        }
        Player p = players[slot];
        if (!p.connected || p.voted) {
            return false;
        }
        log.vote(tick, slot);
        p.voted = true;
        votes++;
        pendingVotes.add(new MatchEvent.RestartVote(slot, votes));
        return true;
    }

    // ---- the tick ---------------------------------------------------------------------------

    /** Advances the match by one tick. The returned result is reused by the next call. */
    public TickResult tick() {
        restartedRound = null;
        if (phases.phase() == Phase.SCOREBOARD && phases.lastTickNext()) {
            // This tick ends the round; if it restarts, the round's replay ends with this state.
            scoreboardEndHash = stateHash();
        }
        tick++;
        result.begin(tick);
        for (int i = 0; i < pendingConnections.size(); i++) {
            result.add(pendingConnections.get(i));
        }
        for (int i = 0; i < pendingVotes.size(); i++) {
            result.add(pendingVotes.get(i));
        }
        pendingConnections.clear();
        pendingVotes.clear();
        slices.clearChanges();
        if (phases.phase() == Phase.CLOSED) {
            return result;
        }
        countReconnectWindows();
        phases.advance();
        switch (phases.phase()) {
            case WAITING -> {
                drainInputs();
                int connected = connectedCount();
                if (connected == players.length) {
                    startRound();
                } else if (phases.over()) {
                    if (connected >= settings.flow().minPlayers()) {
                        startRound();
                    } else {
                        close(Outcome.ABANDONED);
                    }
                }
            }
            case WARMUP -> {
                simulate(false);
                if (phases.over()) {
                    phases.enter(Phase.ACTIVE);
                }
            }
            case ACTIVE -> {
                simulate(true);
                int limit = settings.flow().killLimit();
                if (combat.kills(Team.RED) >= limit
                        || combat.kills(Team.BLUE) >= limit
                        || phases.over()
                        || everySlotDropped()) {
                    endRound();
                }
            }
            case ENDING -> {
                drainInputs();
                if (phases.over()) {
                    phases.enter(Phase.SCOREBOARD);
                }
            }
            case SCOREBOARD -> {
                drainInputs();
                if (phases.over()) {
                    if (votes >= settings.flow().restartVotes()) {
                        restart();
                    } else {
                        close(Outcome.FINISHED);
                    }
                }
            }
            case CLOSED -> {
                // unreachable: returned above
            }
        }
        for (int i = 0, n = slices.changedCount(); i < n; i++) {
            int s = slices.changedSlice(i);
            result.add(new MatchEvent.SliceChange(s, slices.hp(s)));
        }
        updateVisibility();
        return result;
    }

    private void simulate(boolean fighting) {
        for (Player p : players) {
            aliveAtTickStart[p.slot] = p.alive;
        }
        for (Player p : players) {
            if (p.awaitingSpawn && p.connected) {
                if (p.respawnTicks > 0) {
                    p.respawnTicks--;
                }
                if (p.respawnTicks == 0) {
                    spawning.spawn(p);
                }
            }
            if (p.alive && p.protectionTicks > 0) {
                p.protectionTicks--;
            }
            if (p.cooldownTicks > 0) {
                p.cooldownTicks--;
            }
        }
        drainInputs();
        for (Player p : players) {
            movement.move(p);
        }
        if (fighting) {
            // Fuses burn before new throws, so a charge explodes exactly its fuse after landing.
            charges.burnFuses();
            for (Player p : players) {
                if (!aliveAtTickStart[p.slot] || !p.connected) {
                    continue;
                }
                if ((p.buttons & PlayerInput.FIRE) != 0 && p.cooldownTicks == 0) {
                    combat.fire(p);
                }
                if ((p.buttons & PlayerInput.THROW_CHARGE) != 0 && p.alive && p.charges > 0) {
                    charges.throwCharge(p);
                }
            }
        }
        sounds.deliver(players, result);
    }

    /** Applies every queued input in sequence order; the last one sets what is held this tick. */
    private void drainInputs() {
        for (Player p : players) {
            for (int i = 0; i < p.pendingCount; i++) {
                PlayerInput in = p.pending[i];
                p.lastSequence = Integer.toUnsignedLong(in.sequence());
                p.buttons = in.buttons();
                p.speed = in.speed();
                p.throwDistance = in.throwDistance();
                if (p.aim != in.aim()) {
                    p.aim = in.aim();
                    double a = Aim.toRadians(p.aim);
                    p.aimX = StrictMath.cos(a);
                    p.aimY = StrictMath.sin(a);
                }
                p.pending[i] = null;
            }
            p.pendingCount = 0;
        }
    }

    // ---- phase flow -------------------------------------------------------------------------

    /** Warmup with a clean world: everyone connected spawns now. */
    private void startRound() {
        slices.restore();
        charges.clear();
        combat.clearKills();
        winner = Winner.NONE;
        phases.enter(Phase.WARMUP);
        for (Player p : players) {
            resetForRound(p);
        }
        for (Player p : players) {
            if (p.connected) {
                spawning.spawn(p);
            }
        }
    }

    private void endRound() {
        int redKills = combat.kills(Team.RED);
        int blueKills = combat.kills(Team.BLUE);
        winner = redKills > blueKills ? Winner.RED : (blueKills > redKills ? Winner.BLUE : Winner.DRAW);
        charges.clear();
        for (Player p : players) {
            p.moving = false;
            p.buttons = 0;
        }
        phases.enter(Phase.ENDING);
    }

    /** Same server, same world, with the players who stayed; the others lose their slot. */
    private void restart() {
        for (Player p : players) {
            if (!p.connected && !p.dropped) {
                p.dropped = true;
                result.add(new MatchEvent.ConnectionChange(p.slot, MatchEvent.Connection.DROPPED));
            }
        }
        votes = 0;
        restartedRound = new Replay(
                header(),
                roundStart,
                log.recorded(),
                tick - 1,
                combat.kills(Team.RED),
                combat.kills(Team.BLUE),
                scoreboardEndHash);
        roundStart = carriedOver();
        log = new CommandRecorder(players.length, tick);
        startRound();
    }

    private RoundStart carriedOver() {
        List<RoundStart.Seat> seats = new ArrayList<>(players.length);
        for (Player p : players) {
            seats.add(new RoundStart.Seat(
                    p.connected,
                    p.everConnected,
                    p.dropped,
                    p.disconnectedTicks,
                    p.lastSequence,
                    p.speed,
                    p.aim,
                    p.throwDistance));
        }
        return new RoundStart(tick, random.state(), charges.nextId(), seats);
    }

    /**
     * Replays start here: puts a just-constructed match where a restart left the recorded one,
     * then starts the round as the restart did ({@link RoundStart}).
     */
    void resumeRestartedRound(RoundStart start) {
        if (tick != 0 || start.seats().size() != players.length) {
            throw new IllegalArgumentException("a round start applies to a fresh match of the same roster");
        }
        tick = start.tick();
        random.reseed(start.randomState());
        charges.nextId(start.nextChargeId());
        for (int i = 0; i < players.length; i++) {
            Player p = players[i];
            RoundStart.Seat seat = start.seats().get(i);
            p.connected = seat.connected();
            p.everConnected = seat.everConnected();
            p.dropped = seat.dropped();
            p.disconnectedTicks = seat.disconnectedTicks();
            p.lastSequence = seat.lastSequence();
            p.speed = seat.speed();
            p.aim = seat.aim();
            double a = Aim.toRadians(p.aim);
            p.aimX = StrictMath.cos(a);
            p.aimY = StrictMath.sin(a);
            p.throwDistance = seat.throwDistance();
        }
        roundStart = start;
        log = new CommandRecorder(players.length, tick);
        startRound();
        updateVisibility();
    }

    private void close(Outcome how) {
        outcome = how;
        charges.clear();
        for (Player p : players) {
            p.alive = false;
            p.awaitingSpawn = false;
            p.moving = false;
        }
        phases.enter(Phase.CLOSED);
    }

    private void resetForRound(Player p) {
        p.alive = false;
        p.awaitingSpawn = false;
        p.respawnTicks = 0;
        p.protectionTicks = 0;
        p.health = 0;
        p.cooldownTicks = 0;
        p.charges = 0;
        p.moving = false;
        p.strideTravelled = 0;
        p.kills = 0;
        p.deaths = 0;
        p.voted = false;
        p.buttons = 0;
        p.x = 0;
        p.y = 0;
    }

    private void countReconnectWindows() {
        for (Player p : players) {
            if (p.connected || p.dropped || !p.everConnected) {
                continue;
            }
            p.disconnectedTicks++;
            if (p.disconnectedTicks >= reconnectTicks) {
                p.dropped = true;
                result.add(new MatchEvent.ConnectionChange(p.slot, MatchEvent.Connection.DROPPED));
            }
        }
    }

    private boolean everySlotDropped() {
        for (Player p : players) {
            if (!p.dropped) {
                return false;
            }
        }
        return true;
    }

    private int connectedCount() {
        int n = 0;
        for (Player p : players) {
            n += p.connected ? 1 : 0;
        }
        return n;
    }

    private void updateVisibility() {
        for (Player viewer : players) {
            int mask = 0;
            if (viewer.alive) {
                for (Player target : players) {
                    if (target.team != viewer.team && sight.canSee(viewer, target)) {
                        mask |= 1 << target.slot;
                    }
                }
            }
            visibleEnemies[viewer.slot] = mask;
        }
    }

    // ---- queries ----------------------------------------------------------------------------

    public GameMap map() {
        return map;
    }

    public MatchSettings settings() {
        return settings;
    }

    public Roster roster() {
        return roster;
    }

    public long seed() {
        return seed;
    }

    /** Ticks completed so far. */
    public int currentTick() {
        return tick;
    }

    public Phase phase() {
        return phases.phase();
    }

    /** Ticks left in the current phase (0 when it has no end of its own). */
    public int phaseTicksLeft() {
        return phases.ticksLeft();
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Winner of the last round that ended ({@link Winner#NONE} before one has). */
    public Winner winner() {
        return winner;
    }

    public int kills(Team team) {
        return combat.kills(team);
    }

    public int restartVotes() {
        return votes;
    }

    public int playerCount() {
        return players.length;
    }

    public Player player(int slot) {
        return players[slot];
    }

    /** The slice table: geometry and HP (what changed in a tick is in its {@link TickResult}). */
    public SliceTable slices() {
        return slices;
    }

    /** Test seam: the mutable slices, to stage damaged walls. */
    SliceField sliceField() {
        return slices;
    }

    public List<LiveCharge> charges() {
        return charges.live();
    }

    /**
     * Bit {@code s} is set when the viewer could see enemy slot {@code s} at the end of the last
     * tick. Teammates are not included: the protocol always shows them.
     */
    public int visibleEnemiesMask(int viewer) {
        return visibleEnemies[viewer];
    }

    /** Live check of the vision rule between any two slots, in the current state. */
    public boolean canSee(int viewer, int target) {
        return sight.canSee(players[viewer], players[target]);
    }

    /**
     * The current round so far: everything given to this match since construction, {@link #reset()}
     * or the restart that began the round, ready to store.
     */
    public Replay replay() {
        return new Replay(
                header(),
                roundStart,
                log.recorded(),
                tick,
                combat.kills(Team.RED),
                combat.kills(Team.BLUE),
                stateHash());
    }

    /**
     * After the tick in which a restart began a new round: the replay of the round that ended,
     * up to the tick before (its score is still on the board then). Null after any other tick.
     */
    public Replay restartedRoundReplay() {
        return restartedRound;
    }

    /** Heap held by the current round's recording, in bytes (the replay memory budget). */
    public long replayRetainedBytes() {
        return log.retainedBytes();
    }

    private ReplayHeader header() {
        return new ReplayHeader(map.name(), map.fingerprint(), settings, seed, roster);
    }

    /**
     * A 64-bit digest of the whole simulation state: positions as exact bits, health, timers,
     * inputs held, slices, charges, scores, phase and the random stream. Two matches fed the same
     * commands have equal hashes after every tick.
     */
    public long stateHash() {
        long h = StateHash.start();
        h = StateHash.mix(h, tick);
        h = StateHash.mix(h, phases.phase().ordinal());
        h = StateHash.mix(h, phases.ticks());
        h = StateHash.mix(h, random.state());
        h = StateHash.mix(h, combat.kills(Team.RED));
        h = StateHash.mix(h, combat.kills(Team.BLUE));
        h = StateHash.mix(h, votes);
        h = StateHash.mix(h, charges.nextId());
        h = StateHash.mix(h, winner.ordinal());
        h = StateHash.mix(h, outcome.ordinal());
        for (Player p : players) {
            h = StateHash.mix(
                    h,
                    (p.connected ? 1 : 0)
                            | (p.everConnected ? 2 : 0)
                            | (p.dropped ? 4 : 0)
                            | (p.alive ? 8 : 0)
                            | (p.awaitingSpawn ? 16 : 0)
                            | (p.moving ? 32 : 0)
                            | (p.voted ? 64 : 0));
            h = StateHash.mix(h, p.disconnectedTicks);
            h = StateHash.mix(h, Double.doubleToLongBits(p.x));
            h = StateHash.mix(h, Double.doubleToLongBits(p.y));
            h = StateHash.mix(h, Double.doubleToLongBits(p.strideTravelled));
            h = StateHash.mix(h, p.aim);
            h = StateHash.mix(h, p.health);
            h = StateHash.mix(h, p.respawnTicks);
            h = StateHash.mix(h, p.protectionTicks);
            h = StateHash.mix(h, p.cooldownTicks);
            h = StateHash.mix(h, p.charges);
            h = StateHash.mix(h, p.kills);
            h = StateHash.mix(h, p.deaths);
            h = StateHash.mix(h, p.lastSequence);
            h = StateHash.mix(h, p.buttons);
            h = StateHash.mix(h, p.speed.ordinal());
            h = StateHash.mix(h, p.throwDistance);
            h = StateHash.mix(h, p.pendingCount);
        }
        for (LiveCharge c : charges.live()) {
            h = StateHash.mix(h, c.id);
            h = StateHash.mix(h, c.owner);
            h = StateHash.mix(h, Double.doubleToLongBits(c.x));
            h = StateHash.mix(h, Double.doubleToLongBits(c.y));
            h = StateHash.mix(h, c.fuseTicks);
        }
        for (int s = 0, n = slices.count(); s < n; s++) {
            h = StateHash.mix(h, slices.hp(s));
        }
        return h;
    }

    /**
     * Test seam: spawns the player if needed and puts them at (x, y) without spawn protection,
     * so rule tests can stage a scene without walking there.
     */
    void place(int slot, double x, double y) {
        Player p = players[slot];
        if (!p.alive) {
            spawning.spawn(p);
        }
        p.x = x;
        p.y = y;
        p.protectionTicks = 0;
        updateVisibility();
    }

    private boolean validSlot(int slot) {
        return slot >= 0 && slot < players.length;
    }
}
