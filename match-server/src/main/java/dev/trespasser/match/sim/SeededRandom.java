package dev.trespasser.match.sim;

/**
 * SplitMix64: the match's only source of randomness. Written out here so that a replay gives the
 * same numbers on every JDK; its whole state is one long, which goes into the state hash.
 */
public final class SeededRandom {

    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    public long state() {
        return state;
    }

    public void reseed(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) for bound > 0 (rejection-free; the bias is below 2^-32 for our sizes). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }
}
