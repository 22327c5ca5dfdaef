package dev.trespasser.match.sim;

/**
 * Every number of the game rules (GAME.md), grouped by feature. A match is created with one of
 * these; {@link #defaults()} is the game as specified, tests and private matches vary it with the
 * {@code with...} methods. Durations are milliseconds or seconds as the rules state them and
 * are turned into ticks with {@link #ticks(long)}; distances are world units, speeds units per
 * second, angles degrees.
 */
public record MatchSettings(
        Timing timing,
        Movement movement,
        Vision vision,
        Sound sound,
        Rifle rifle,
        Charge charge,
        Life life,
        Flow flow) {

    public MatchSettings {
        if (timing == null
                || movement == null
                || vision == null
                || sound == null
                || rifle == null
                || charge == null
                || life == null
                || flow == null) {
            throw new IllegalArgumentException("every settings group is required");
        }
    }

    public static MatchSettings defaults() {
        return new MatchSettings(
                new Timing(60, 30),
                new Movement(5, 30, 60, 100),
                new Vision(90, 220, 18),
                new Sound(60, 140, 320, 600, 120, 0.5, 20),
                new Rifle(34, 300, 320, 0, 2, 6, 25),
                new Charge(1, 40, 1500, 24, 100),
                new Life(100, 100, 3000, 2000),
                new Flow(4, 50, 600, false, 30, 5, 3000, 15, 60, 2, 2));
    }

    /** Whole ticks closest to a duration in milliseconds (at least 0). */
    public int ticks(long millis) {
        return (int) Math.max(0, Math.round(millis * (double) timing.tickRateHz() / 1000.0));
    }

    public int secondsToTicks(int seconds) {
        return ticks(seconds * 1000L);
    }

    public double secondsPerTick() {
        return 1.0 / timing.tickRateHz();
    }

    public MatchSettings withTiming(Timing t) {
        return new MatchSettings(t, movement, vision, sound, rifle, charge, life, flow);
    }

    public MatchSettings withMovement(Movement m) {
        return new MatchSettings(timing, m, vision, sound, rifle, charge, life, flow);
    }

    public MatchSettings withVision(Vision v) {
        return new MatchSettings(timing, movement, v, sound, rifle, charge, life, flow);
    }

    public MatchSettings withSound(Sound s) {
        return new MatchSettings(timing, movement, vision, s, rifle, charge, life, flow);
    }

    public MatchSettings withRifle(Rifle r) {
        return new MatchSettings(timing, movement, vision, sound, r, charge, life, flow);
    }

    public MatchSettings withCharge(Charge c) {
        return new MatchSettings(timing, movement, vision, sound, rifle, c, life, flow);
    }

    public MatchSettings withLife(Life l) {
        return new MatchSettings(timing, movement, vision, sound, rifle, charge, l, flow);
    }

    public MatchSettings withFlow(Flow f) {
        return new MatchSettings(timing, movement, vision, sound, rifle, charge, life, f);
    }

    /** The three numbers a private match may change. */
    public MatchSettings withPrivateRules(int killLimit, int timeLimitSeconds, boolean friendlyFire) {
        return withFlow(new Flow(
                flow.maxPerTeam(),
                killLimit,
                timeLimitSeconds,
                friendlyFire,
                flow.waitingSeconds(),
                flow.warmupSeconds(),
                flow.endingMillis(),
                flow.scoreboardSeconds(),
                flow.reconnectSeconds(),
                flow.restartVotes(),
                flow.minPlayers()));
    }

    /** Simulation rate and the rate snapshots go out at (20-60, a network concern kept here). */
    public record Timing(int tickRateHz, int snapshotRateHz) {
        public Timing {
            require(tickRateHz >= 1 && tickRateHz <= 1000, "tick rate must be 1-1000 Hz");
            require(snapshotRateHz >= 20 && snapshotRateHz <= 60, "snapshot rate must be 20-60 Hz");
        }
    }

    public record Movement(double playerRadius, double sneakSpeed, double walkSpeed, double runSpeed) {
        public Movement {
            require(playerRadius > 0, "player radius must be positive");
            require(sneakSpeed >= 0 && walkSpeed >= 0 && runSpeed >= 0, "speeds must not be negative");
        }
    }

    /** Cone width around the aim, its range, and the 360-degree awareness radius. */
    public record Vision(double coneDegrees, double range, double awarenessRadius) {
        public Vision {
            require(coneDegrees >= 0 && coneDegrees <= 360, "cone must be 0-360 degrees");
            require(range >= 0 && awarenessRadius >= 0, "vision distances must not be negative");
        }
    }

    /**
     * Hearing radii; a muffled sound (no line of sight from source to listener) carries
     * {@code muffledFactor} of its radius. A footstep sounds every {@code footstepStride} units
     * actually walked or run, so blocked movement makes no noise.
     */
    public record Sound(
            double walkFootstepRadius,
            double runFootstepRadius,
            double gunshotRadius,
            double explosionRadius,
            double sliceDestroyedRadius,
            double muffledFactor,
            double footstepStride) {
        public Sound {
            require(
                    walkFootstepRadius >= 0
                            && runFootstepRadius >= 0
                            && gunshotRadius >= 0
                            && explosionRadius >= 0
                            && sliceDestroyedRadius >= 0,
                    "sound radii must not be negative");
            require(muffledFactor >= 0 && muffledFactor <= 1, "muffled factor must be 0-1");
            require(footstepStride > 0, "footstep stride must be positive");
        }
    }

    /** Spread is the full width of the cone a shot may deviate in, per movement speed. */
    public record Rifle(
            int damage,
            int cooldownMillis,
            double range,
            double sneakSpreadDegrees,
            double walkSpreadDegrees,
            double runSpreadDegrees,
            int sliceDamage) {
        public Rifle {
            require(damage >= 0 && sliceDamage >= 0, "damage must not be negative");
            require(cooldownMillis >= 0, "cooldown must not be negative");
            require(range >= 0, "range must not be negative");
            require(
                    sneakSpreadDegrees >= 0 && walkSpreadDegrees >= 0 && runSpreadDegrees >= 0,
                    "spread must not be negative");
        }
    }

    /** Breach charge: damage falls linearly from {@code maxDamage} at the centre to 0 at the edge. */
    public record Charge(int perLife, double throwRange, int fuseMillis, double blastRadius, int maxDamage) {
        public Charge {
            require(perLife >= 0, "charges per life must not be negative");
            require(throwRange >= 0 && blastRadius >= 0, "charge distances must not be negative");
            require(fuseMillis >= 0 && maxDamage >= 0, "fuse and damage must not be negative");
        }
    }

    public record Life(int maxHealth, int sliceHp, int respawnMillis, int spawnProtectionMillis) {
        public Life {
            require(maxHealth >= 1 && sliceHp >= 1, "health must be positive");
            require(respawnMillis >= 0 && spawnProtectionMillis >= 0, "life timers must not be negative");
        }
    }

    /**
     * Match flow. {@code endingMillis} is how long the {@code ending} phase shows the final kill
     * before the scoreboard; {@code minPlayers} connected at the end of waiting start the match.
     */
    public record Flow(
            int maxPerTeam,
            int killLimit,
            int timeLimitSeconds,
            boolean friendlyFire,
            int waitingSeconds,
            int warmupSeconds,
            int endingMillis,
            int scoreboardSeconds,
            int reconnectSeconds,
            int restartVotes,
            int minPlayers) {
        public Flow {
            require(maxPerTeam >= 1 && maxPerTeam <= 4, "teams hold 1-4 players");
            require(killLimit >= 1, "kill limit must be positive");
            require(timeLimitSeconds >= 1, "time limit must be positive");
            require(
                    waitingSeconds >= 0
                            && warmupSeconds >= 0
                            && endingMillis >= 0
                            && scoreboardSeconds >= 0
                            && reconnectSeconds >= 0,
                    "phase durations must not be negative");
            require(restartVotes >= 1 && minPlayers >= 1, "vote and player thresholds must be positive");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
