package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.wire.Aim;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import dev.trespasser.game.world.SliceTable;
import dev.trespasser.game.world.SpawnZone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
    private final List<LiveCharge> charges = new ArrayList<>();
    private final List<LiveCharge> chargesView = Collections.unmodifiableList(charges);

    private final int tickRate;
    private final double radius;
    private final int cooldownTicks;
    private final int fuseTicks;
    private final int respawnTicks;
    private final int protectionTicks;
    private final int waitingTicks;
    private final int warmupTicks;
    private final int activeTicks;
    private final int endingTicks;
    private final int scoreboardTicks;
    private final int reconnectTicks;

    private final boolean[] aliveAtTickStart;
    private final int[] visibleEnemies;
    private final double[] moved = new double[2];

    private int tick;
    private Phase phase;
    private int phaseTicks;
    private int redKills;
    private int blueKills;
    private int votes;
    private int nextChargeId;
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
        if (red > settings.flow().maxPerTeam() || roster.size() - red > settings.flow().maxPerTeam()) {
            throw new IllegalArgumentException("roster exceeds " + settings.flow().maxPerTeam() + " players per team");
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

        tickRate = settings.timing().tickRateHz();
        radius = settings.movement().playerRadius();
        cooldownTicks = settings.ticks(settings.rifle().cooldownMillis());
        fuseTicks = settings.ticks(settings.charge().fuseMillis());
        respawnTicks = settings.ticks(settings.life().respawnMillis());
        protectionTicks = settings.ticks(settings.life().spawnProtectionMillis());
        waitingTicks = settings.secondsToTicks(settings.flow().waitingSeconds());
        warmupTicks = settings.secondsToTicks(settings.flow().warmupSeconds());
        activeTicks = settings.secondsToTicks(settings.flow().timeLimitSeconds());
        endingTicks = settings.ticks(settings.flow().endingMillis());
        scoreboardTicks = settings.secondsToTicks(settings.flow().scoreboardSeconds());
        reconnectTicks = settings.secondsToTicks(settings.flow().reconnectSeconds());
        reset();
    }

    /** Back to the state right after construction: waiting, nobody connected, same seed. */
    public void reset() {
        tick = 0;
        phase = Phase.WAITING;
        phaseTicks = 0;
        redKills = 0;
        blueKills = 0;
        votes = 0;
        nextChargeId = 1;
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
        if (!validSlot(slot) || phase == Phase.CLOSED) {
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
        if ((phase == Phase.WARMUP || phase == Phase.ACTIVE) && !p.alive && !p.awaitingSpawn) {
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
        if (!validSlot(slot) || phase == Phase.CLOSED || !players[slot].connected) {
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
        if (!validSlot(slot) || input == null || phase == Phase.CLOSED) {
            return false;
        }
        Player p = players[slot];
        long sequence = Integer.toUnsignedLong(input.sequence());
        if (!p.connected || sequence <= p.lastSequence || p.pendingCount == Player.MAX_PENDING_INPUTS
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
        if (!validSlot(slot) || phase != Phase.SCOREBOARD) {
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
        if (phase == Phase.SCOREBOARD && phaseTicks + 1 >= scoreboardTicks) {
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
        if (phase == Phase.CLOSED) {
            return result;
        }
        countReconnectWindows();
        phaseTicks++;
        switch (phase) {
            case WAITING -> {
                drainInputs();
                int connected = connectedCount();
                if (connected == players.length) {
                    startRound();
                } else if (phaseTicks >= waitingTicks) {
                    if (connected >= settings.flow().minPlayers()) {
                        startRound();
                    } else {
                        close(Outcome.ABANDONED);
                    }
                }
            }
            case WARMUP -> {
                simulate(false);
                if (phaseTicks >= warmupTicks) {
                    enter(Phase.ACTIVE, activeTicks);
                }
            }
            case ACTIVE -> {
                simulate(true);
                int limit = settings.flow().killLimit();
                if (redKills >= limit || blueKills >= limit || phaseTicks >= activeTicks || everySlotDropped()) {
                    endRound();
                }
            }
            case ENDING -> {
                drainInputs();
                if (phaseTicks >= endingTicks) {
                    enter(Phase.SCOREBOARD, scoreboardTicks);
                }
            }
            case SCOREBOARD -> {
                drainInputs();
                if (phaseTicks >= scoreboardTicks) {
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

    private void simulate(boolean combat) {
        for (Player p : players) {
            aliveAtTickStart[p.slot] = p.alive;
        }
        for (Player p : players) {
            if (p.awaitingSpawn && p.connected) {
                if (p.respawnTicks > 0) {
                    p.respawnTicks--;
                }
                if (p.respawnTicks == 0) {
                    spawn(p);
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
            move(p);
        }
        if (combat) {
            // Fuses burn before new throws, so a charge explodes exactly its fuse after landing.
            fuseCharges();
            for (Player p : players) {
                if (!aliveAtTickStart[p.slot] || !p.connected) {
                    continue;
                }
                if ((p.buttons & PlayerInput.FIRE) != 0 && p.cooldownTicks == 0) {
                    fire(p);
                }
                if ((p.buttons & PlayerInput.THROW_CHARGE) != 0 && p.alive && p.charges > 0) {
                    throwCharge(p);
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

    private void move(Player p) {
        p.moving = false;
        if (!p.alive) {
            return;
        }
        int b = p.buttons;
        int ix = ((b & PlayerInput.RIGHT) != 0 ? 1 : 0) - ((b & PlayerInput.LEFT) != 0 ? 1 : 0);
        int iy = ((b & PlayerInput.DOWN) != 0 ? 1 : 0) - ((b & PlayerInput.UP) != 0 ? 1 : 0);
        if (ix == 0 && iy == 0) {
            return;
        }
        double speed = switch (p.speed) {
            case SNEAK -> settings.movement().sneakSpeed();
            case WALK -> settings.movement().walkSpeed();
            case RUN -> settings.movement().runSpeed();
        };
        // One tick of the chosen speed, whatever the client claims: diagonals are normalised.
        double step = speed / tickRate;
        double scale = ix != 0 && iy != 0 ? step * Math.sqrt(0.5) : step;
        slices.moveCircle(p.x, p.y, ix * scale, iy * scale, radius, moved);
        double dx = moved[0] - p.x;
        double dy = moved[1] - p.y;
        p.x = moved[0];
        p.y = moved[1];
        double travelled = Math.sqrt(dx * dx + dy * dy);
        if (travelled <= 0) {
            return;
        }
        p.moving = true;
        if (p.speed == Speed.SNEAK) {
            return;
        }
        p.strideTravelled += travelled;
        double stride = settings.sound().footstepStride();
        if (p.strideTravelled >= stride) {
            p.strideTravelled -= stride;
            sounds.emit(p.speed == Speed.RUN ? SoundKind.FOOTSTEP_RUN : SoundKind.FOOTSTEP_WALK, p.x, p.y, p.slot);
        }
    }

    // ---- combat -----------------------------------------------------------------------------

    private void fire(Player shooter) {
        shooter.cooldownTicks = cooldownTicks;
        shooter.protectionTicks = 0;
        MatchSettings.Rifle rifle = settings.rifle();
        // Standing still aims as steadily as sneaking.
        double spreadDegrees = !shooter.moving ? rifle.sneakSpreadDegrees() : switch (shooter.speed) {
            case SNEAK -> rifle.sneakSpreadDegrees();
            case WALK -> rifle.walkSpreadDegrees();
            case RUN -> rifle.runSpreadDegrees();
        };
        // Drawn on every shot, spread or not, so the stream does not depend on movement.
        double deviation = (random.nextDouble() - 0.5) * StrictMath.toRadians(spreadDegrees);
        double angle = Aim.toRadians(shooter.aim) + deviation;
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        double range = rifle.range();

        int slice = slices.raycast(shooter.x, shooter.y, dx, dy, range);
        double nearest = slices.lastHitT();
        Player target = null;
        for (Player other : players) {
            if (other == shooter || !other.alive) {
                continue;
            }
            double t = rayCircle(shooter.x, shooter.y, dx, dy, other.x, other.y, radius);
            if (t >= nearest) {
                continue;
            }
            // Enemies the shooter cannot see are not there for this shot (the server's check,
            // not the client's claim); teammates are always known, so they stop the bullet.
            if (other.team != shooter.team && !sight.inView(shooter, other)) {
                continue;
            }
            nearest = t;
            target = other;
        }
        double endX = shooter.x + dx * nearest;
        double endY = shooter.y + dy * nearest;
        sounds.emit(SoundKind.GUNSHOT, shooter.x, shooter.y, shooter.slot);
        if (target != null) {
            result.add(new MatchEvent.Shot(shooter.slot, shooter.x, shooter.y, endX, endY, target.slot, -1));
            if (target.team != shooter.team || settings.flow().friendlyFire()) {
                hurt(shooter.slot, target, rifle.damage(), MatchEvent.Cause.RIFLE);
            }
            return;
        }
        result.add(new MatchEvent.Shot(shooter.slot, shooter.x, shooter.y, endX, endY, -1, slice));
        if (slice >= 0 && slices.damage(slice, rifle.sliceDamage()) == 0) {
            sounds.emit(SoundKind.SLICE_DESTROYED, slices.centreX(slice), slices.centreY(slice), -1);
        }
    }

    /** Distance along a unit ray to where it enters the circle, or +infinity. */
    private static double rayCircle(double ox, double oy, double dx, double dy, double cx, double cy, double r) {
        double fx = ox - cx;
        double fy = oy - cy;
        double c = fx * fx + fy * fy - r * r;
        if (c <= 0) {
            return 0;
        }
        double b = fx * dx + fy * dy;
        if (b > 0) {
            return Double.POSITIVE_INFINITY;
        }
        double disc = b * b - c;
        if (disc < 0) {
            return Double.POSITIVE_INFINITY;
        }
        return -b - Math.sqrt(disc);
    }

    private void throwCharge(Player thrower) {
        thrower.charges--;
        thrower.protectionTicks = 0;
        double distance = Math.min(thrower.throwDistance, settings.charge().throwRange());
        // The charge lands short of the first intact slice on its way rather than inside it.
        double x = thrower.x;
        double y = thrower.y;
        if (distance > 0) {
            int slice = slices.raycast(thrower.x, thrower.y, thrower.aimX, thrower.aimY, distance);
            double t = slice >= 0 ? Math.max(0, slices.lastHitT() - 0.5) : distance;
            x = clamp(thrower.x + thrower.aimX * t, 0, map.width());
            y = clamp(thrower.y + thrower.aimY * t, 0, map.height());
        }
        LiveCharge charge = new LiveCharge(nextChargeId++, thrower.slot, x, y, fuseTicks);
        charges.add(charge);
        result.add(new MatchEvent.ChargeThrown(charge.id, charge.owner, x, y, fuseTicks));
    }

    private void fuseCharges() {
        for (int i = 0; i < charges.size(); ) {
            LiveCharge c = charges.get(i);
            if (c.fuseTicks > 0) {
                c.fuseTicks--;
            }
            if (c.fuseTicks > 0) {
                i++;
                continue;
            }
            charges.remove(i);
            explode(c);
        }
    }

    /**
     * Damage falls linearly from the centre to the edge. Teammates are spared unless friendly
     * fire is on; the thrower never is (a breach charge is dangerous to stand next to).
     */
    private void explode(LiveCharge c) {
        MatchSettings.Charge rules = settings.charge();
        double blast = rules.blastRadius();
        Team ownerTeam = players[c.owner].team;
        for (Player p : players) {
            if (!p.alive) {
                continue;
            }
            if (p.slot != c.owner && p.team == ownerTeam && !settings.flow().friendlyFire()) {
                continue;
            }
            double dx = p.x - c.x;
            double dy = p.y - c.y;
            double d = Math.sqrt(dx * dx + dy * dy);
            if (d >= blast) {
                continue;
            }
            int amount = (int) Math.floor(rules.maxDamage() * (1 - d / blast));
            hurt(c.owner, p, amount, MatchEvent.Cause.CHARGE);
        }
        int destroyed = slices.destroyWithin(c.x, c.y, blast);
        sounds.emit(SoundKind.EXPLOSION, c.x, c.y, -1);
        result.add(new MatchEvent.Explosion(c.id, c.owner, c.x, c.y, destroyed));
    }

    private void hurt(int attacker, Player victim, int amount, MatchEvent.Cause cause) {
        if (!victim.alive || victim.protectionTicks > 0 || amount <= 0) {
            return;
        }
        victim.health = Math.max(0, victim.health - amount);
        result.add(new MatchEvent.Damage(attacker, victim.slot, amount, victim.health, cause));
        if (victim.health > 0) {
            return;
        }
        victim.alive = false;
        victim.moving = false;
        victim.deaths++;
        victim.awaitingSpawn = true;
        victim.respawnTicks = respawnTicks;
        Player killer = attacker >= 0 ? players[attacker] : null;
        if (killer != null && killer.team != victim.team) {
            killer.kills++;
            if (killer.team == Team.RED) {
                redKills++;
            } else {
                blueKills++;
            }
        }
        result.add(new MatchEvent.Kill(attacker, victim.slot, cause));
    }

    // ---- spawning ---------------------------------------------------------------------------

    /**
     * Places the player on a free spot of their team's zone: spots lie on a grid one player
     * apart plus a margin; the scan starts at a spot drawn from the match's random stream and
     * takes the first one clear of slices and living players.
     */
    private void spawn(Player p) {
        SpawnZone zone = p.team == Team.RED ? map.redSpawn() : map.blueSpawn();
        double spacing = 2 * radius + 2;
        double left = Math.max(zone.x() + radius, radius);
        double top = Math.max(zone.y() + radius, radius);
        double right = Math.min(zone.maxX() - radius, map.width() - radius);
        double bottom = Math.min(zone.maxY() - radius, map.height() - radius);
        int cols = Math.max(1, (int) Math.floor((right - left) / spacing) + 1);
        int rows = Math.max(1, (int) Math.floor((bottom - top) / spacing) + 1);
        int spots = cols * rows;
        int start = random.nextInt(spots);
        double x = clamp(zone.x() + zone.width() / 2.0, radius, map.width() - radius);
        double y = clamp(zone.y() + zone.height() / 2.0, radius, map.height() - radius);
        for (int k = 0; k < spots; k++) {
            int spot = (start + k) % spots;
            double sx = left + (spot % cols) * spacing;
            double sy = top + (spot / cols) * spacing;
            if (!slices.blocksCircle(sx, sy, radius) && !crowded(sx, sy, p)) {
                x = sx;
                y = sy;
                break;
            }
        }
        p.x = x;
        p.y = y;
        p.alive = true;
        p.awaitingSpawn = false;
        p.respawnTicks = 0;
        p.health = settings.life().maxHealth();
        p.protectionTicks = protectionTicks;
        p.charges = settings.charge().perLife();
        p.cooldownTicks = 0;
        p.strideTravelled = 0;
        p.moving = false;
        result.add(new MatchEvent.Spawn(p.slot, x, y));
    }

    private boolean crowded(double x, double y, Player self) {
        double min = 2 * radius;
        for (Player other : players) {
            if (other != self && other.alive) {
                double dx = other.x - x;
                double dy = other.y - y;
                if (dx * dx + dy * dy < min * min) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- phases -----------------------------------------------------------------------------

    private void enter(Phase next, int durationTicks) {
        phase = next;
        phaseTicks = 0;
        result.add(new MatchEvent.PhaseChange(next, durationTicks));
    }

    /** Warmup with a clean world: everyone connected spawns now. */
    private void startRound() {
        slices.restore();
        charges.clear();
        redKills = 0;
        blueKills = 0;
        winner = Winner.NONE;
        enter(Phase.WARMUP, warmupTicks);
        for (Player p : players) {
            resetForRound(p);
        }
        for (Player p : players) {
            if (p.connected) {
                spawn(p);
            }
        }
    }

    private void endRound() {
        winner = redKills > blueKills ? Winner.RED : (blueKills > redKills ? Winner.BLUE : Winner.DRAW);
        charges.clear();
        for (Player p : players) {
            p.moving = false;
            p.buttons = 0;
        }
        enter(Phase.ENDING, endingTicks);
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
        restartedRound = new Replay(header(), roundStart, log.recorded(), tick - 1, redKills, blueKills,
                scoreboardEndHash);
        roundStart = carriedOver();
        log = new CommandRecorder(players.length, tick);
        startRound();
    }

    private RoundStart carriedOver() {
        List<RoundStart.Seat> seats = new ArrayList<>(players.length);
        for (Player p : players) {
            seats.add(new RoundStart.Seat(p.connected, p.everConnected, p.dropped, p.disconnectedTicks,
                    p.lastSequence, p.speed, p.aim, p.throwDistance));
        }
        return new RoundStart(tick, random.state(), nextChargeId, seats);
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
        nextChargeId = start.nextChargeId();
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
        enter(Phase.CLOSED, 0);
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
        return phase;
    }

    /** Ticks left in the current phase (0 when it has no end of its own). */
    public int phaseTicksLeft() {
        int length = switch (phase) {
            case WAITING -> waitingTicks;
            case WARMUP -> warmupTicks;
            case ACTIVE -> activeTicks;
            case ENDING -> endingTicks;
            case SCOREBOARD -> scoreboardTicks;
            case CLOSED -> 0;
        };
        return Math.max(0, length - phaseTicks);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Winner of the last round that ended ({@link Winner#NONE} before one has). */
    public Winner winner() {
        return winner;
    }

    public int kills(Team team) {
        return team == Team.RED ? redKills : blueKills;
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
        return chargesView;
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
        return new Replay(header(), roundStart, log.recorded(), tick, redKills, blueKills, stateHash());
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
        h = StateHash.mix(h, phase.ordinal());
        h = StateHash.mix(h, phaseTicks);
        h = StateHash.mix(h, random.state());
        h = StateHash.mix(h, redKills);
        h = StateHash.mix(h, blueKills);
        h = StateHash.mix(h, votes);
        h = StateHash.mix(h, nextChargeId);
        h = StateHash.mix(h, winner.ordinal());
        h = StateHash.mix(h, outcome.ordinal());
        for (Player p : players) {
            h = StateHash.mix(h, (p.connected ? 1 : 0) | (p.everConnected ? 2 : 0) | (p.dropped ? 4 : 0)
                    | (p.alive ? 8 : 0) | (p.awaitingSpawn ? 16 : 0) | (p.moving ? 32 : 0) | (p.voted ? 64 : 0));
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
        for (LiveCharge c : charges) {
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
            spawn(p);
        }
        p.x = x;
        p.y = y;
        p.protectionTicks = 0;
        updateVisibility();
    }

    private boolean validSlot(int slot) {
        return slot >= 0 && slot < players.length;
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
