package dev.trespasser.match.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Open TCP connections per remote address before their join, and in total. Every socket the
 * edge accepts costs heap (the library's per-connection state, buffers, a Connection), and a
 * match server runs in 16 MiB: without a bound, a flood of idle or half-upgraded sockets from
 * one host exhausts it in seconds and takes the match down. A joined player no longer counts
 * against its address (players behind one NAT), but still against the total.
 */
final class ConnectionCaps {

    /** Why a connection was refused, for metrics. */
    enum Refusal {
        PER_ADDRESS,
        TOTAL
    }

    private final int perAddressBeforeJoin;
    private final int total;
    private final Map<InetAddress, Integer> beforeJoin = new HashMap<>();
    private int open;

    ConnectionCaps(int perAddressBeforeJoin, int total) {
        this.perAddressBeforeJoin = perAddressBeforeJoin;
        this.total = total;
    }

    /** A connection's place under the caps; released once, when its socket closes. */
    final class Seat {
        private final InetAddress address;
        private boolean joined;
        private boolean released;

        private Seat(InetAddress address) {
            this.address = address;
        }

        /** The connection joined the match: it stops counting against its address. */
        void joined() {
            synchronized (ConnectionCaps.this) {
                if (!joined && !released) {
                    joined = true;
                    leaveAddress(address);
                }
            }
        }

        void release() {
            synchronized (ConnectionCaps.this) {
                if (released) {
                    return;
                }
                released = true;
                open--;
                if (!joined) {
                    leaveAddress(address);
                }
            }
        }
    }

    /** Thrown when a connection would exceed a cap. */
    static final class RefusedException extends Exception {
        private final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    synchronized Seat open(InetAddress address) throws RefusedException {
        if (open >= total) {
            throw new RefusedException(Refusal.TOTAL, "already " + open + " connections open");
        }
        int fromAddress = beforeJoin.getOrDefault(address, 0);
        if (fromAddress >= perAddressBeforeJoin) {
            throw new RefusedException(
                    Refusal.PER_ADDRESS,
                    "already " + fromAddress + " connections from " + address.getHostAddress() + " waiting to join");
        }
        beforeJoin.put(address, fromAddress + 1);
        open++;
        return new Seat(address);
    }

    synchronized int openCount() {
        return open;
    }

    private void leaveAddress(InetAddress address) {
        beforeJoin.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }
}
