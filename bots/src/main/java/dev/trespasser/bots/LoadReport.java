package dev.trespasser.bots;

import dev.trespasser.bots.stats.LatencyHistogram.Percentiles;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What a run measured so far (a live snapshot while it runs, the summary at the end).
 *
 * @param elapsed                  time since {@link LoadGenerator#start()}
 * @param botsStarted              bots launched so far
 * @param botsFinished             bots that stopped
 * @param botsQueued               bots waiting for a match right now
 * @param botsPlaying              bots connected to a match server right now
 * @param matchesPlayed            matches bots played to the end, counted per bot (8 bots in one
 *                                 4v4 match count 8); a restarted match counts again
 * @param abandonedMatches         of those, matches abandoned because too few players came
 * @param restarts                 rounds that ended in a restart vote, per bot
 * @param kills                    kills scored by bots
 * @param timeToMatch              FindMatch to the assignment
 * @param bytesInPerPlayerSecond   WebSocket bytes received per connected bot per second
 * @param bytesOutPerPlayerSecond  WebSocket bytes sent per connected bot per second
 * @param inputRoundTrip           an input sent to the first snapshot that acknowledges it
 * @param disconnects              WebSocket closes before a match ended (on purpose or not)
 * @param reconnects               rejoins that got a welcome
 * @param slotsLost                rejoins that got a different slot or team (should stay 0)
 * @param requeues                 matches given up or queues that failed, followed by FindMatch
 * @param errors                   errors bots could not play through
 * @param malformedFrames          server frames bots could not read (and skipped)
 */
public record LoadReport(
        Duration elapsed,
        long botsStarted,
        long botsFinished,
        long botsQueued,
        long botsPlaying,
        long matchesPlayed,
        long abandonedMatches,
        long restarts,
        long kills,
        Percentiles timeToMatch,
        double bytesInPerPlayerSecond,
        double bytesOutPerPlayerSecond,
        Percentiles inputRoundTrip,
        long disconnects,
        long reconnects,
        long slotsLost,
        long requeues,
        long errors,
        long malformedFrames) {

    /** One console line, rewritten every second while the run goes. */
    public String progressLine() {
        return String.format(
                Locale.ROOT,
                "[%5ds] bots %d/%d done, %d queued, %d playing | matches %d | match wait p50 %s | "
                        + "rtt p50 %s | in %.0f B/s out %.0f B/s per bot | reconnects %d requeues %d errors %d",
                elapsed.toSeconds(),
                botsFinished,
                botsStarted,
                botsQueued,
                botsPlaying,
                matchesPlayed,
                format(timeToMatch.p50()),
                format(inputRoundTrip.p50()),
                bytesInPerPlayerSecond,
                bytesOutPerPlayerSecond,
                reconnects,
                requeues,
                errors);
    }

    /** The end-of-run summary. */
    public void print(PrintStream out) {
        out.println("== bots summary ==");
        out.printf(Locale.ROOT, "duration            %.1f s%n", elapsed.toMillis() / 1000.0);
        out.printf(Locale.ROOT, "bots                %d started, %d finished%n", botsStarted, botsFinished);
        out.printf(
                Locale.ROOT,
                "matches             %d, counted per bot (%d abandoned, %d restarted by vote), %d kills%n",
                matchesPlayed,
                abandonedMatches,
                restarts,
                kills);
        out.printf(
                Locale.ROOT,
                "time to match       p50 %s  p95 %s  p99 %s  (%d assignments)%n",
                format(timeToMatch.p50()),
                format(timeToMatch.p95()),
                format(timeToMatch.p99()),
                timeToMatch.count());
        out.printf(
                Locale.ROOT,
                "bandwidth per bot   in %.0f B/s  out %.0f B/s  (while in a match)%n",
                bytesInPerPlayerSecond,
                bytesOutPerPlayerSecond);
        out.printf(
                Locale.ROOT,
                "input round trip    p50 %s  p95 %s  p99 %s  (%d inputs)%n",
                format(inputRoundTrip.p50()),
                format(inputRoundTrip.p95()),
                format(inputRoundTrip.p99()),
                inputRoundTrip.count());
        out.printf(
                Locale.ROOT,
                "connections         %d disconnects, %d reconnects (%d lost their slot), %d requeues%n",
                disconnects,
                reconnects,
                slotsLost,
                requeues);
        out.printf(Locale.ROOT, "errors              %d (%d unreadable server frames)%n", errors, malformedFrames);
    }

    static String format(Duration d) {
        if (d.isZero()) {
            return "-";
        }
        long micros = d.toNanos() / 1_000;
        if (micros < 10_000) {
            return String.format(Locale.ROOT, "%.1fms", micros / 1000.0);
        }
        if (micros < 10_000_000) {
            return (micros / 1000) + "ms";
        }
        return String.format(Locale.ROOT, "%.1fs", micros / 1e6);
    }
}
