package dev.trespasser.match.sim;

import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import dev.trespasser.game.world.SpawnZone;

/**
 * Where a player (re)appears: spots lie on a grid one player apart plus a margin inside the
 * team's zone; the scan starts at a spot drawn from the match's random stream and takes the first
 * one clear of slices and living players. A spawned player has full health, their charges and
 * spawn protection.
 */
final class Spawning {

    private final MatchSettings settings;
    private final GameMap map;
    private final Player[] players;
    private final SliceField slices;
    private final SeededRandom random;
    private final TickResult result;
    private final double radius;
    private final int protectionTicks;

    Spawning(
            MatchSettings settings,
            GameMap map,
            Player[] players,
            SliceField slices,
            SeededRandom random,
            TickResult result) {
        this.settings = settings;
        this.map = map;
        this.players = players;
        this.slices = slices;
        this.random = random;
        this.result = result;
        this.radius = settings.movement().playerRadius();
        this.protectionTicks = settings.ticks(settings.life().spawnProtectionMillis());
    }

    void spawn(Player p) {
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

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
