package dev.trespasser.proto;

/**
 * The annotation and label keys an allocation writes onto the GameServer it picks: the director
 * writes them (through Agones or the local fleet), the match server and the local stack read
 * them. The annotation's value is {@code trespasser.allocation.v1.MatchAllocation}.
 */
public final class GameServerMetadata {

    /** Annotation: protobuf JSON of {@code MatchAllocation}; the match server hosts what it says. */
    public static final String MATCH_ANNOTATION = "trespasser.dev/match";

    /** Annotation: the match id again, for people reading {@code kubectl get gs -o yaml}. */
    public static final String MATCH_ID_ANNOTATION = "trespasser.dev/match-id";

    /** Label: the match's mode label ({@link GameMode#label()}), so fleets and dashboards can select on it. */
    public static final String MODE_LABEL = "trespasser.dev/mode";

    private GameServerMetadata() {}
}
