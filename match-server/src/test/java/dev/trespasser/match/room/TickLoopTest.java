package dev.trespasser.match.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.trespasser.match.metrics.MatchServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TickLoopTest {

    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(2);

    @Test
    void eachTickIsHandedToTheNetworkBeforeTheNextAndFalseEndsTheLoop() throws Exception {
        List<String> calls = new ArrayList<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        TickLoop loop = new TickLoop(
                "tick-loop-test",
                PERIOD,
                this,
                new TickLoop.Body() {
                    private int ticks;

                    @Override
                    public boolean tick() {
                        calls.add("tick");
                        return ++ticks < 5;
                    }

                    @Override
                    public void afterTick() {
                        calls.add("flush");
                        if (ticks == 5) {
                            ended.complete(null);
                        }
                    }

                    @Override
                    public void failed(Throwable error) {
                        ended.completeExceptionally(error);
                    }
                },
                new MatchServerMetrics());
        loop.start();
        ended.get(10, TimeUnit.SECONDS);
        Thread.sleep(20 * PERIOD / 1_000_000);
        loop.stop();
        assertEquals(
                List.of("tick", "flush", "tick", "flush", "tick", "flush", "tick", "flush", "tick", "flush"), calls);
    }

    @Test
    void aTickThatThrowsStopsTheLoopAndIsReported() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        List<String> calls = new ArrayList<>();
        TickLoop loop = new TickLoop(
                "tick-loop-test",
                PERIOD,
                this,
                new TickLoop.Body() {
                    @Override
                    public boolean tick() {
                        calls.add("tick");
                        throw boom;
                    }

                    @Override
                    public void afterTick() {
                        calls.add("flush");
                    }

                    @Override
                    public void failed(Throwable error) {
                        failure.complete(error);
                    }
                },
                new MatchServerMetrics());
        loop.start();
        assertSame(boom, failure.get(10, TimeUnit.SECONDS));
        Thread.sleep(20 * PERIOD / 1_000_000);
        loop.stop();
        assertEquals(List.of("tick"), calls, "no tick after the failure");
    }
}
