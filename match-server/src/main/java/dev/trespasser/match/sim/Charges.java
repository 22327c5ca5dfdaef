package dev.trespasser.match.sim;

import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Breach charges: a throw lands along the aim, short of the first intact slice in the way; the
 * fuse burns; the blast hurts by distance (no occlusion) and destroys the slices around it.
 */
final class Charges {

    private final MatchSettings settings;
    private final GameMap map;
    private final Player[] players;
    private final SliceField slices;
    private final SoundBoard sounds;
    private final Combat combat;
    private final TickResult result;
    private final int fuseTicks;
    private final List<LiveCharge> live = new ArrayList<>();
    private final List<LiveCharge> liveView = Collections.unmodifiableList(live);

    private int nextId = 1;

    Charges(
            MatchSettings settings,
            GameMap map,
            Player[] players,
            SliceField slices,
            SoundBoard sounds,
            Combat combat,
            TickResult result) {
        this.settings = settings;
        this.map = map;
        this.players = players;
        this.slices = slices;
        this.sounds = sounds;
        this.combat = combat;
        this.result = result;
        this.fuseTicks = settings.ticks(settings.charge().fuseMillis());
    }

    List<LiveCharge> live() {
        return liveView;
    }

    void clear() {
        live.clear();
    }

    /** The id the next thrown charge gets (carried over a restart, part of the state). */
    int nextId() {
        return nextId;
    }

    void nextId(int id) {
        nextId = id;
    }

    void throwCharge(Player thrower) {
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
        LiveCharge charge = new LiveCharge(nextId++, thrower.slot, x, y, fuseTicks);
        live.add(charge);
        result.add(new MatchEvent.ChargeThrown(charge.id, charge.owner, x, y, fuseTicks));
    }

    /** Fuses burn one tick; charges whose fuse is out explode, in the order they were thrown. */
    void burnFuses() {
        for (int i = 0; i < live.size(); ) {
            LiveCharge c = live.get(i);
            if (c.fuseTicks > 0) {
                c.fuseTicks--;
            }
            if (c.fuseTicks > 0) {
                i++;
                continue;
            }
            live.remove(i);
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
            combat.hurt(c.owner, p, amount, MatchEvent.Cause.CHARGE);
        }
        int destroyed = slices.destroyWithin(c.x, c.y, blast);
        sounds.emit(SoundKind.EXPLOSION, c.x, c.y, -1);
        result.add(new MatchEvent.Explosion(c.id, c.owner, c.x, c.y, destroyed));
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
