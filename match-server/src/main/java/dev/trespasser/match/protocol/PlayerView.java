package dev.trespasser.match.protocol;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.game.world.SliceTable;
import dev.trespasser.match.sim.LiveCharge;
import dev.trespasser.match.sim.Match;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.sim.Player;
import dev.trespasser.match.sim.Team;
import dev.trespasser.proto.game.v1.PlayerFlag;
import java.util.List;

/**
 * Everything one player may know at one tick, already quantised: the unit snapshots are diffed
 * in. Slices are not here (they are the same for everyone, see {@link SliceJournal}). Mutable and
 * reused: an encoder keeps a ring of them.
 */
final class PlayerView {

    /** Two teams of at most four. */
    static final int MAX_SLOTS = 8;
    /** One charge per life and a fuse shorter than the respawn keep this far above reality. */
    static final int MAX_CHARGES = 32;

    static final PlayerView EMPTY = new PlayerView();

    int tick = Integer.MIN_VALUE;
    int inView;
    final int[] x = new int[MAX_SLOTS];
    final int[] y = new int[MAX_SLOTS];
    final int[] aim = new int[MAX_SLOTS];
    final int[] health = new int[MAX_SLOTS];
    final int[] speed = new int[MAX_SLOTS];
    final int[] flags = new int[MAX_SLOTS];
    int phase;
    int secondsLeft;
    int redKills;
    int blueKills;
    int lastSequence;
    int chargeCount;
    final int[] chargeId = new int[MAX_CHARGES];
    final int[] chargeX = new int[MAX_CHARGES];
    final int[] chargeY = new int[MAX_CHARGES];
    final int[] chargeExplodesAt = new int[MAX_CHARGES];

    boolean has(int slot) {
        return (inView & (1 << slot)) != 0;
    }

    /** What {@code viewer} may know now: teammates always, enemies only while seen. */
    void capture(Match match, int viewer) {
        tick = match.currentTick();
        Player me = match.player(viewer);
        Team team = me.team();
        int seen = match.visibleEnemiesMask(viewer);
        inView = 0;
        for (int s = 0, n = Math.min(match.playerCount(), MAX_SLOTS); s < n; s++) {
            Player p = match.player(s);
            boolean mate = p.team() == team;
            if (!mate && (seen & (1 << s)) == 0) {
                x[s] = 0;
                y[s] = 0;
                aim[s] = 0;
                health[s] = 0;
                speed[s] = 0;
                flags[s] = 0;
                continue;
            }
            inView |= 1 << s;
            x[s] = Wire.position(p.x());
            y[s] = Wire.position(p.y());
            aim[s] = p.aim();
            speed[s] = WireEnums.speed(p.speed()).getNumber();
            int f = 0;
            if (p.alive()) {
                f |= PlayerFlag.PLAYER_FLAG_ALIVE_VALUE;
            }
            if (p.spawnProtected()) {
                f |= PlayerFlag.PLAYER_FLAG_SPAWN_PROTECTED_VALUE;
            }
            if (mate) {
                health[s] = p.health();
                f |= p.hasCharge() ? PlayerFlag.PLAYER_FLAG_HAS_CHARGE_VALUE : 0;
                f |= p.connected() ? PlayerFlag.PLAYER_FLAG_CONNECTED_VALUE : 0;
            } else {
                health[s] = 0;
            }
            flags[s] = f;
        }
        int tickRate = match.settings().timing().tickRateHz();
        phase = WireEnums.phase(match.phase()).getNumber();
        secondsLeft = Wire.seconds(match.phaseTicksLeft(), tickRate);
        redKills = match.kills(Team.RED);
        blueKills = match.kills(Team.BLUE);
        lastSequence = (int) Math.max(0, me.lastAppliedSequence());
        captureCharges(match, me);
    }

    private void captureCharges(Match match, Player me) {
        chargeCount = 0;
        List<LiveCharge> live = match.charges();
        if (live.isEmpty()) {
            return;
        }
        double aimX = 0;
        double aimY = 0;
        if (me.alive()) {
            double a = Aim.toRadians(me.aim());
            aimX = Math.cos(a);
            aimY = Math.sin(a);
        }
        for (int i = 0; i < live.size() && chargeCount < MAX_CHARGES; i++) {
            LiveCharge c = live.get(i);
            boolean ours = match.player(c.owner()).team() == me.team();
            if (!ours && !(me.alive() && sees(match, me, aimX, aimY, c.x(), c.y()))) {
                continue;
            }
            chargeId[chargeCount] = c.id();
            chargeX[chargeCount] = Wire.position(c.x());
            chargeY[chargeCount] = Wire.position(c.y());
            chargeExplodesAt[chargeCount] = tick + c.fuseTicksLeft();
            chargeCount++;
        }
    }

    /** The vision rule for a point: in the cone (or awareness radius) with a clear line. */
    private static boolean sees(Match match, Player me, double aimX, double aimY, double px, double py) {
        MatchSettings.Vision vision = match.settings().vision();
        double dx = px - me.x();
        double dy = py - me.y();
        double d2 = dx * dx + dy * dy;
        double awareness = vision.awarenessRadius();
        if (d2 > awareness * awareness) {
            if (d2 > vision.range() * vision.range()) {
                return false;
            }
            if (vision.coneDegrees() < 360) {
                double cosHalf = Math.cos(Math.toRadians(vision.coneDegrees() / 2));
                if (dx * aimX + dy * aimY < cosHalf * Math.sqrt(d2)) {
                    return false;
                }
            }
        }
        SliceTable slices = match.slices();
        return slices.clearLine(me.x(), me.y(), px, py);
    }

    int chargeIndex(int id) {
        for (int i = 0; i < chargeCount; i++) {
            if (chargeId[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Same knowledge as {@code other}, whatever the ticks. */
    boolean sameAs(PlayerView other) {
        if (inView != other.inView
                || phase != other.phase
                || secondsLeft != other.secondsLeft
                || redKills != other.redKills
                || blueKills != other.blueKills
                || lastSequence != other.lastSequence
                || chargeCount != other.chargeCount) {
            return false;
        }
        for (int s = 0; s < MAX_SLOTS; s++) {
            if (has(s)
                    && (x[s] != other.x[s]
                            || y[s] != other.y[s]
                            || aim[s] != other.aim[s]
                            || health[s] != other.health[s]
                            || speed[s] != other.speed[s]
                            || flags[s] != other.flags[s])) {
                return false;
            }
        }
        for (int i = 0; i < chargeCount; i++) {
            if (other.chargeIndex(chargeId[i]) < 0) {
                return false;
            }
        }
        return true;
    }
}
