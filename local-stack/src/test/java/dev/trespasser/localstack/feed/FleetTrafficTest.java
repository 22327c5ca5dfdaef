package dev.trespasser.localstack.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scrape parser reads another process's HTTP body: it takes what it needs and skips the rest. */
class FleetTrafficTest {

    @Test
    void readsTheThreeUnlabelledSamples() {
        String exposition = """
                # HELP trespasser_match_bytes_sent_total WebSocket payload bytes sent to players
                # TYPE trespasser_match_bytes_sent_total counter
                trespasser_match_bytes_sent_total 1.5E6
                trespasser_match_bytes_received_total 2048.0
                trespasser_match_connected_players 8 1732224000000
                trespasser_match_ticks_total 900.0
                """;
        assertEquals(
                Map.of(
                        "trespasser_match_bytes_sent_total",
                        1.5e6,
                        "trespasser_match_bytes_received_total",
                        2048.0,
                        "trespasser_match_connected_players",
                        8.0),
                FleetTraffic.parse(exposition));
    }

    @Test
    void skipsLabelledMalformedAndHostileLines() {
        String exposition = "trespasser_match_bytes_sent_total{le=\"1\"} 99\n"
                + "trespasser_match_bytes_sent_total not-a-number\n"
                + "trespasser_match_bytes_received_total\n"
                + " trespasser_match_connected_players 3\n"
                + "\n\n#\n"
                + "trespasser_match_connected_players " + "9".repeat(100_000) + "x\n"
                + "\u0000\u00ff garbage";
        assertEquals(Map.of(), FleetTraffic.parse(exposition));
    }

    @Test
    void anEmptyBodyCountsNothing() {
        assertEquals(Map.of(), FleetTraffic.parse(""));
    }
}
