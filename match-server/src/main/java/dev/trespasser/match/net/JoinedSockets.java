package dev.trespasser.match.net;

import dev.trespasser.match.room.IncomingFrames;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joined players' sockets of one hosted match, read by its tick thread before each tick. One
 * non-blocking {@code selectNow} says which sockets have bytes, so a tick reads only those (with
 * inputs paced on change, one or two of eight) instead of trying all eight. The selector never
 * blocks and no thread waits in it: nothing is woken when a frame arrives, the next tick reads it.
 */
final class JoinedSockets implements IncomingFrames, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JoinedSockets.class);
    /** The tick looks for players gone silent (they are pinged, then cut) at most once a second. */
    private static final long SILENCE_CHECK_MAX_NANOS = 1_000_000_000L;

    private final Selector selector;
    private final Set<Connection> joined = ConcurrentHashMap.newKeySet();
    /** Connections with bytes already read off their socket: the next tick reads them whatever the selector says. */
    private final ConcurrentLinkedQueue<Connection> readSoon = new ConcurrentLinkedQueue<>();

    /**
     * A quarter of the silence timeout (at most a second): a check always falls between half the
     * timeout and the whole of it, so the ping goes out before the cut, whatever the phase of the
     * checks against the moment a player fell silent.
     */
    private final long silenceCheckNanos;

    private long nextSilenceCheck = System.nanoTime();

    JoinedSockets(Duration silenceTimeout) throws IOException {
        this.silenceCheckNanos = Math.min(SILENCE_CHECK_MAX_NANOS, silenceTimeout.toNanos() / 4);
        this.selector = Selector.open();
    }

    /** At admission (edge thread): the tick thread reads {@code c} from now on. */
    void add(Connection c) throws IOException {
        joined.add(c);
        c.readOnTick(this, c.transport.channel().register(selector, SelectionKey.OP_READ, c));
        readSoon.add(c);
    }

    /** {@code c} is closing or closed: the edge reads it again. */
    void remove(Connection c, SelectionKey key) {
        joined.remove(c);
        key.cancel();
    }

    /** Tick thread: reads every joined socket that has something. */
    @Override
    public void read(long nanoTime) {
        try {
            if (selector.selectNow() > 0) {
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        readFrom((Connection) key.attachment(), nanoTime);
                    }
                }
            }
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            return;
        } catch (IOException e) {
            log.warn("could not poll the players' sockets this tick", e);
        }
        for (int n = readSoon.size(); n > 0; n--) {
            Connection c = readSoon.poll();
            if (c == null) {
                break;
            }
            readFrom(c, nanoTime);
        }
        if (nanoTime - nextSilenceCheck >= 0) {
            nextSilenceCheck = nanoTime + silenceCheckNanos;
            for (Connection c : joined) {
                c.checkSilence(nanoTime);
            }
        }
    }

    private void readFrom(Connection c, long nanoTime) {
        if (c.poll(nanoTime)) {
            readSoon.add(c);
        }
    }

    /**
     * The room is closed and has closed its players: the selector goes, and with it the sockets'
     * registration here (the JDK defers closing a registered channel until its selectors let go).
     */
    @Override
    public void roomClosed() {
        close();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing the players' selector: {}", e.toString());
        }
    }

    /** Joined connections this selector reads (tests and leak checks). */
    int size() {
        return joined.size();
    }
}
