package dev.trespasser.match.room;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.protocol.ClientCommand;
import dev.trespasser.proto.game.v1.ErrorReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickLoopTest {

    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void twoTicksPerWakeUpRunBackToBackOnTheTickSchedule() throws Exception {
        List<Long> dues = new ArrayList<>();
        List<Integer> ticksPerWake = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        int[] sinceFlush = {0};
        TickLoop loop = new TickLoop("tick-loop-test", PERIOD, 2, this, new TickLoop.Body() {
            @Override
            public boolean tick(long dueNanos) {
                dues.add(dueNanos);
                sinceFlush[0]++;
                return dues.size() < 40;
            }

            @Override
            public void afterTicks() {
                ticksPerWake.add(sinceFlush[0]);
                sinceFlush[0] = 0;
                if (dues.size() >= 40) {
                    done.countDown();
                }
            }

            @Override
            public void failed(Throwable error) {
                throw new AssertionError(error);
            }
        }, new MatchServerMetrics());
        loop.start();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        loop.stop();

        assertEquals(40, dues.size());
        assertEquals(40, ticksPerWake.stream().mapToInt(Integer::intValue).sum());
        long pairs = ticksPerWake.stream().filter(n -> n == 2).count();
        assertTrue(ticksPerWake.stream().allMatch(n -> n == 1 || n == 2), ticksPerWake.toString());
        // Only a loop more than 5 ticks behind (a starved machine) drops to single ticks.
        assertTrue(pairs >= 15, "wake-ups of two ticks: " + ticksPerWake);
        for (int i = 1; i < dues.size(); i++) {
            assertTrue(dues.get(i) - dues.get(i - 1) >= PERIOD, "ticks keep their 60 Hz spacing: " + dues);
        }
    }

    @Test
    void aTickTakesOnlyWhatArrivedBeforeItWasDue() {
        Inbox inbox = new Inbox();
        ClientLink link = new ClientLink() {
            @Override
            public boolean send(byte[] frame, boolean droppable) {
                return true;
            }

            @Override
            public void close(ErrorReason reason, String message) {
            }
        };
        Inbox.Command early = new Inbox.Command.Receive(0, link, new ClientCommand.Ack(1), 1_000);
        Inbox.Command onTime = new Inbox.Command.Leave(0, link, 2_000);
        Inbox.Command late = new Inbox.Command.Join(1, link, 2_001);
        inbox.add(early);
        inbox.add(onTime);
        inbox.add(late);

        assertSame(early, inbox.pollArrivedBy(2_000));
        assertSame(onTime, inbox.pollArrivedBy(2_000));
        assertNull(inbox.pollArrivedBy(2_000), "arrived after the tick was due: the next tick's");
        assertSame(late, inbox.pollArrivedBy(2_000 + PERIOD));
        assertNull(inbox.pollArrivedBy(Long.MAX_VALUE));
    }
}
