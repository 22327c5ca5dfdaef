package dev.trespasser.match.bench;

/**
 * Which classpath each JVM of a benchmark runs on. A measured server JVM should see the image's jars
 * only: every jar on a classpath is opened once something scans it (slf4j's and the JDK's service
 * look-ups do), and an open jar keeps its central directory on the heap, so the test classpath's
 * ~70 jars (gRPC, Netty, Bouncy Castle, JUnit) cost a server ~3 MiB of heap that the image's 23 jars
 * do not. Helper JVMs (bots, certificates) keep the full test classpath.
 */
final class BenchClasspath {

    /** The classpath of the measured server JVM(s): the image's runtime jars plus the harness's own. */
    static final String SERVER_PROPERTY = "bench.serverClasspath";

    /** The classpath of helper JVMs started by a measured JVM that runs on {@link #SERVER_PROPERTY}. */
    static final String HELPERS_PROPERTY = "bench.helperClasspath";

    private BenchClasspath() {}

    /** For server child JVMs: {@value #SERVER_PROPERTY} when set, else this JVM's classpath. */
    static String server() {
        return System.getProperty(SERVER_PROPERTY, System.getProperty("java.class.path"));
    }

    /** For bot and certificate child JVMs: {@value #HELPERS_PROPERTY} when set, else this JVM's classpath. */
    static String helpers() {
        return System.getProperty(HELPERS_PROPERTY, System.getProperty("java.class.path"));
    }
}
