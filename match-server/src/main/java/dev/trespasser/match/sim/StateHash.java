package dev.trespasser.match.sim;

/** The mixing function of {@link Match#stateHash()}: order-sensitive, fixed across JDKs. */
final class StateHash {

    private StateHash() {}

    static long start() {
        return 0x243F6A8885A308D3L;
    }

    static long mix(long h, long value) {
        long z = (h ^ value) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31) ^ Long.rotateLeft(h, 17);
    }
}
