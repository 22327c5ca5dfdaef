package dev.trespasser.match.sim;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.world.SliceField;

/**
 * Rifle shots and what they hit, damage from any cause, deaths and the kills they score. A shot
 * passes enemies the shooter cannot see (the server's check, never the client's claim).
 */
final class Combat {

    private final MatchSettings settings;
    private final Player[] players;
    private final SliceField slices;
    private final Sight sight;
    private final SoundBoard sounds;
    private final SeededRandom random;
    private final TickResult result;
    private final double radius;
    private final int cooldownTicks;
    private final int respawnTicks;

    private int redKills;
    private int blueKills;

    Combat(
            MatchSettings settings,
            Player[] players,
            SliceField slices,
            Sight sight,
            SoundBoard sounds,
            SeededRandom random,
            TickResult result) {
        this.settings = settings;
        this.players = players;
        this.slices = slices;
        this.sight = sight;
        this.sounds = sounds;
        this.random = random;
        this.result = result;
        this.radius = settings.movement().playerRadius();
        this.cooldownTicks = settings.ticks(settings.rifle().cooldownMillis());
        this.respawnTicks = settings.ticks(settings.life().respawnMillis());
    }

    int kills(Team team) {
        return team == Team.RED ? redKills : blueKills;
    }

    void clearKills() {
        redKills = 0;
        blueKills = 0;
    }

    void fire(Player shooter) {
        shooter.cooldownTicks = cooldownTicks;
        shooter.protectionTicks = 0;
        MatchSettings.Rifle rifle = settings.rifle();
        // Standing still aims as steadily as sneaking.
        double spreadDegrees = !shooter.moving
                ? rifle.sneakSpreadDegrees()
                : switch (shooter.speed) {
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

    /** Spawn protection absorbs everything; kills of teammates give no credit. */
    void hurt(int attacker, Player victim, int amount, MatchEvent.Cause cause) {
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
}
