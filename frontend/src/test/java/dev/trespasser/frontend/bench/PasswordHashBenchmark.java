package dev.trespasser.frontend.bench;

import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.auth.PasswordHasher.Argon2idCost;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * What one password hash costs with each of OWASP's Argon2id configurations, and with the PBKDF2
 * records still read: median and 90th percentile of single-threaded verifications after a warm-up.
 * Sizes FRONTEND_PASSWORD_HASH_THREADS / _QUEUE (a queue of Q waits at most about Q x median).
 * Argument: verifications per configuration (default 20).
 */
public final class PasswordHashBenchmark {

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        SecureRandom random = new SecureRandom();
        char[] password = "correct horse battery staple".toCharArray();
        System.out.printf("%-34s %10s %10s%n", "record", "median ms", "p90 ms");
        for (Argon2idCost cost : List.of(
                new Argon2idCost(19_456, 2, 1),
                new Argon2idCost(47_104, 1, 1),
                new Argon2idCost(12_288, 3, 1),
                new Argon2idCost(9_216, 4, 1),
                new Argon2idCost(7_168, 5, 1))) {
            PasswordHasher hasher = new PasswordHasher(random, cost);
            String record = hasher.hash(password);
            report(
                    "argon2id m=" + cost.memoryKib() + " t=" + cost.iterations() + " p=" + cost.parallelism(),
                    time(rounds, () -> hasher.verify(password, record)));
        }
        PasswordHasher hasher = new PasswordHasher(random, Argon2idCost.OWASP_MINIMUM);
        // The record the PBKDF2 hasher wrote (210,000 iterations), verified before its upgrade.
        String legacy = PasswordHasher.legacyPbkdf2Record(
                "ZmVkY2JhOTg3NjU0MzIxMA==", "210000", "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs=");
        report(
                "pbkdf2-sha256 i=210000 (legacy)",
                time(rounds, () -> hasher.verify("hunter2-hunter2".toCharArray(), legacy)));
    }

    private static double[] time(int rounds, Runnable verification) {
        for (int i = 0; i < 5; i++) {
            verification.run();
        }
        double[] millis = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            verification.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static void report(String name, double[] sorted) {
        System.out.printf(
                "%-34s %10.1f %10.1f%n",
                name, sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.9) - 1]);
    }
}
