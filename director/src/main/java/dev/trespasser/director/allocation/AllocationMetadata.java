package dev.trespasser.director.allocation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import java.util.Map;

/**
 * The labels and annotations an allocation writes onto the chosen GameServer: the contract with
 * the match server ({@link GameServerMetadata}, trespasser/allocation/v1/allocation.proto). Both allocators write exactly
 * these, so the match server has one code path locally and in a cluster.
 */
public record AllocationMetadata(Map<String, String> annotations, Map<String, String> labels) {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    public AllocationMetadata {
        annotations = Map.copyOf(annotations);
        labels = Map.copyOf(labels);
    }

    public static AllocationMetadata of(MatchAllocation match) {
        return new AllocationMetadata(
                Map.of(
                        GameServerMetadata.MATCH_ANNOTATION,
                        toJson(match),
                        GameServerMetadata.MATCH_ID_ANNOTATION,
                        match.getMatchId()),
                Map.of(GameServerMetadata.MODE_LABEL, match.getMode()));
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
