package dev.trespasser.match.sim;

/** Everything besides the commands that a match's outcome depends on. */
public record ReplayHeader(String mapName, long mapFingerprint, MatchSettings settings, long seed, Roster roster) {

    public ReplayHeader {
        if (mapName == null || settings == null || roster == null) {
            throw new IllegalArgumentException("map name, settings and roster are required");
        }
    }
}
