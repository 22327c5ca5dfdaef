package dev.trespasser.localstack.process;

import dev.trespasser.peers.PeerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one of our services as a child JVM on the local stack's own classpath, so it can be
 * stopped (or killed) like a pod, with its output in its own log file.
 *
 * @param classpath the local stack's runtime classpath (every service module is on it)
 * @param logbackConfig one logging setup for every child: several service jars each carry a
 *     logback.xml, and which one wins would otherwise depend on classpath order
 */
public record JvmLauncher(Path javaBinary, String classpath, List<String> jvmFlags, Path logbackConfig) {

    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    /**
     * Small heaps, serial GC and C1 only: seven JVMs share two cores with the bots, and none of
     * them needs C2's peak speed for a demo's load (a match tick costs microseconds).
     */
    public static final List<String> DEFAULT_JVM_FLAGS =
            List.of("-XX:+UseSerialGC", C1_ONLY, "-Xms32m", "-Xmx256m", "-Xss512k");

    /** The JVM running this code, and the classpath it was started with (or surefire's). */
    public static JvmLauncher ofCurrentJvm(Path logbackConfig) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new JvmLauncher(
                Path.of(System.getProperty("java.home"), "bin", "java"), classpath, DEFAULT_JVM_FLAGS, logbackConfig);
    }

    /**
     * The same launcher with C2 allowed, for a service whose work is CPU-bound crypto: the
     * frontend's former PBKDF2 (210,000 iterations per register or login) measured ~450 ms a hash
     * under C1 against ~50 ms with C2 on this machine's JDK 17, so 16 bots logging in at once
     * queued for over 20 s behind each other and hit their call deadline. Its Argon2id (19 MiB,
     * 2 passes) is the same kind of work.
     */
    public JvmLauncher withOptimisingJit() {
        return new JvmLauncher(
                javaBinary,
                classpath,
                jvmFlags.stream().filter(f -> !f.equals(C1_ONLY)).toList(),
                logbackConfig);
    }

    public PeerProcess start(String name, String mainClass, Map<String, String> env, Path logDir) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.addAll(jvmFlags);
        command.add("-Dlogback.configurationFile=" + logbackConfig.toAbsolutePath());
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        return PeerProcess.start(name, command, env, logDir);
    }
}
