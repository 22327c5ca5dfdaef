package dev.trespasser.match.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The match process's result printer against protobuf-java-util (test scope only), which the frontend reads with. */
class ResultJsonTest {

    private static final MatchResult EVERY_FIELD = MatchResult.newBuilder()
            .setMatchId("m-1")
            .setMode("4v4")
            .setMapName("depot")
            .setOutcome(Outcome.OUTCOME_BLUE_WON)
            .setRedKills(7)
            .setBlueKills(-1) // uint32 max
            .addPlayers(PlayerResult.newBuilder()
                    .setPlayerId("p1")
                    .setTeam(ResultTeam.RESULT_TEAM_RED)
                    .setKills(3)
                    .setDeaths(2)
                    .setPresentAtEnd(true))
            .addPlayers(PlayerResult.newBuilder().setPlayerId("p2").setTeam(ResultTeam.RESULT_TEAM_BLUE))
            .addPlayers(PlayerResult.getDefaultInstance())
            .setDurationSeconds(600)
            .setEndedAtEpochSeconds(1_790_000_000L)
            .setReplayRef("redis:trespasser:replay:m-1")
            .setRound(2)
            .setGameServer("gs-abc")
            .build();

    private static final List<MatchResult> SAMPLES = List.of(
            EVERY_FIELD,
            EVERY_FIELD.toBuilder()
                    .setEndedAtEpochSeconds(Long.MIN_VALUE)
                    .setOutcome(Outcome.OUTCOME_ABANDONED)
                    .build(),
            EVERY_FIELD.toBuilder()
                    .setEndedAtEpochSeconds(Long.MAX_VALUE)
                    .setOutcome(Outcome.OUTCOME_DRAW)
                    .build(),
            MatchResult.getDefaultInstance());

    @Test
    void printsExactlyWhatProtobufsPrinterPrints() throws Exception {
        for (MatchResult sample : SAMPLES) {
            assertEquals(
                    JsonFormat.printer().omittingInsignificantWhitespace().print(sample), ResultJson.print(sample));
        }
    }

    @Test
    void anyTextAndUnknownEnumNumbersReadBackAsTheSameResult() throws Exception {
        List<MatchResult> hard = List.of(
                EVERY_FIELD.toBuilder()
                        .setMatchId("q\"b\\s/\n\r\t\b\f\u0000\u001f\u007f<>&='\u00e9\u2028\u2029\ud83d\ude00")
                        .build(),
                EVERY_FIELD.toBuilder()
                        .setOutcomeValue(9)
                        .setPlayers(
                                0, PlayerResult.newBuilder().setPlayerId("p1").setTeamValue(42))
                        .build());
        for (MatchResult sample : hard) {
            String json = ResultJson.print(sample);
            MatchResult.Builder read = MatchResult.newBuilder();
            JsonFormat.parser().merge(json, read);
            assertEquals(sample, read.build(), json);
        }
    }
}
