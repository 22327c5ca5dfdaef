package dev.trespasser.director.allocation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import java.util.Map;

/**
 * The labels and annotations an allocation writes onto the chosen GameServer: the contract with
 * the match server (trespasser/allocation/v1/allocation.proto). Both allocators write exactly
 * these, so the match server has one code path locally and in a cluster.
 */
public record AllocationMetadata(Map<String, String> annotations, Map<String, String> labels) {

    /** Annotation: protobuf JSON of {@link MatchAllocation}. */
    public static final String MATCH_ANNOTATION = "trespasser.dev/match";

    /** Annotation: the match id again, for people reading {@code kubectl get gs -o yaml}. */
    public static final String MATCH_ID_ANNOTATION = "trespasser.dev/match-id";

    /** Label: the match's mode ("4v4", ...), so fleets and dashboards can select on it. */
    public static final String MODE_LABEL = "trespasser.dev/mode";

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    public AllocationMetadata {
        annotations = Map.copyOf(annotations);
        labels = Map.copyOf(labels);
    }

    public static AllocationMetadata of(MatchAllocation match) {
        return new AllocationMetadata(
                Map.of(MATCH_ANNOTATION, toJson(match), MATCH_ID_ANNOTATION, match.getMatchId()),
                Map.of(MODE_LABEL, match.getMode()));
    }

    public static String toJson(MatchAllocation match) {
        try {
            return JSON.print(match);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types can fail to print; MatchAllocation has none.
            throw new IllegalStateException("MatchAllocation does not print as JSON", e);
        }
    }
}
