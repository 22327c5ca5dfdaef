package dev.trespasser.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulation ({@code match.sim}) and the client library ({@code game}) are pure: no I/O,
 * sockets, threads, clocks, unseeded randomness or logging, and no adapter of any module. Their
 * results depend only on their inputs, which is what the determinism and replay tests and the
 * clients' prediction rely on.
 */
class PureCoreTest {

    static final String SIM = "dev.trespasser.match.sim..";
    static final String GAME = "dev.trespasser.game..";
    /** The wire codec: the one part of the client library that speaks protobuf. */
    static final String GAME_WIRE = "dev.trespasser.game.wire..";
    /** Bundled map files are read from the jar. */
    static final String GAME_MAPS = "dev.trespasser.game.maps..";

    /** What the replay codec and the state hash use to encode in memory: no files, no sockets. */
    static final Set<String> IN_MEMORY_IO = Set.of(
            "java.io.ByteArrayInputStream",
            "java.io.ByteArrayOutputStream",
            "java.io.DataInput",
            "java.io.DataInputStream",
            "java.io.DataOutput",
            "java.io.DataOutputStream",
            "java.io.EOFException",
            "java.io.IOException",
            "java.io.UncheckedIOException",
            "java.io.UTFDataFormatException");

    @Test
    void simulationDependsOnlyOnTheJdkAndTheClientLibrary() {
        noClasses()
                .that()
                .resideInAPackage(SIM)
                .should()
                .dependOnClassesThat(not(resideInAnyPackage("java..", "dev.trespasser.match.sim..", GAME))
                        .or(resideInAPackage(GAME_WIRE)))
                .because("the simulation is pure: adapters (room, net, agones, results, protocol) wrap it from outside")
                .check(MainCode.classes());
    }

    @Test
    void simulationDoesNoIoThreadsOrClocks() {
        impure(SIM, Set.of()).check(MainCode.classes());
    }

    @Test
    void simulationReadsNoClockAndNoUnseededRandomness() {
        readsTheWorld(SIM).check(MainCode.classes());
    }

    @Test
    void clientLibraryDependsOnlyOnTheJdkAndItsWireContract() {
        noClasses()
                .that()
                .resideInAPackage(GAME)
                .and()
                .resideOutsideOfPackage(GAME_WIRE)
                .should()
                .dependOnClassesThat(not(resideInAnyPackage("java..", GAME)))
                .because(
                        "every client (bots, the web client's vectors) links the library: it carries no server, no logging, no protobuf outside its codec")
                .check(MainCode.classes());
        noClasses()
                .that()
                .resideInAPackage(GAME_WIRE)
                .should()
                .dependOnClassesThat(
                        not(resideInAnyPackage("java..", GAME, "dev.trespasser.proto..", "com.google.protobuf..")))
                .because("the wire codec speaks the game protocol and nothing else")
                .check(MainCode.classes());
    }

    @Test
    void clientLibraryDoesNoIoThreadsOrClocksOutsideItsCodec() {
        impure(GAME, Set.of(), GAME_WIRE, GAME_MAPS).check(MainCode.classes());
        // the map catalogue reads the map files bundled in the jar, and nothing else
        impure(GAME_MAPS, Set.of("java.io.InputStream")).check(MainCode.classes());
    }

    @Test
    void clientLibraryReadsNoClockAndNoUnseededRandomness() {
        readsTheWorld(GAME).check(MainCode.classes());
    }

    @Test
    void botsUseTheClientLibraryNotTheMatchServer() {
        noClasses()
                .that()
                .resideInAPackage("dev.trespasser.bots..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.trespasser.match..")
                .because("a client links game-client; the server's WebSocket edge, Jedis and jjwt stay out of it")
                .check(MainCode.classes());
    }

    @Test
    void theRulesFireOnImpureCodeAndPassPureCode() {
        JavaClasses fixtures = new ClassFileImporter().importPackages("dev.trespasser.architecture.fixtures");
        String impure = "dev.trespasser.architecture.fixtures.impure..";
        String pure = "dev.trespasser.architecture.fixtures.pure..";

        EvaluationResult io = impure(impure, Set.of()).evaluate(fixtures);
        List<String> ioViolations = io.getFailureReport().getDetails();
        for (String forbidden : List.of(
                "java.net.Socket",
                "java.io.FileInputStream",
                "java.lang.Thread",
                "java.util.concurrent.ConcurrentHashMap",
                "org.slf4j.LoggerFactory")) {
            assertTrue(
                    ioViolations.stream().anyMatch(v -> v.contains(forbidden)),
                    () -> forbidden + " not caught: " + ioViolations);
        }
        List<String> clockViolations =
                readsTheWorld(impure).evaluate(fixtures).getFailureReport().getDetails();
        for (String forbidden : List.of(
                "System.currentTimeMillis()",
                "System.nanoTime()",
                "Instant.now()",
                "Math.random()",
                "Random.<init>()")) {
            assertTrue(
                    clockViolations.stream().anyMatch(v -> v.contains(forbidden)),
                    () -> forbidden + " not caught: " + clockViolations);
        }

        assertFalse(impure(pure, Set.of()).evaluate(fixtures).hasViolation(), "in-memory encoding is allowed");
        assertFalse(readsTheWorld(pure).evaluate(fixtures).hasViolation(), "seeded randomness is allowed");
    }

    /**
     * No I/O, sockets, threads and concurrency, clocks or logging in {@code pkg} (less
     * {@code excluded}); {@code alsoAllowed} names java.io types allowed besides the in-memory ones.
     */
    static ArchRule impure(String pkg, Set<String> alsoAllowed, String... excluded) {
        DescribedPredicate<JavaClass> io = resideInAPackage("java.io")
                .and(DescribedPredicate.describe(
                        "outside the in-memory encoding classes",
                        (JavaClass c) -> !IN_MEMORY_IO.contains(c.getName()) && !alsoAllowed.contains(c.getName())));
        DescribedPredicate<JavaClass> forbidden = io.or(resideInAnyPackage(
                        "java.net..",
                        "java.nio.channels..",
                        "java.nio.file..",
                        "java.util.concurrent..",
                        "java.util.logging..",
                        "org.slf4j.."))
                .or(nameMatching("java\\.lang\\.(Thread|ThreadLocal|Runtime|ProcessBuilder|Process)"))
                .or(nameMatching("java\\.time\\.(Clock|InstantSource)"));
        return noClasses()
                .that()
                .resideInAPackage(pkg)
                .and()
                .resideOutsideOfPackages(excluded)
                .should()
                .dependOnClassesThat(forbidden)
                .because("pure code takes time and input as arguments and returns events; I/O belongs to adapters");
    }

    static ArchRule readsTheWorld(String pkg) {
        DescribedPredicate<JavaCall<?>> clockOrChance = DescribedPredicate.describe(
                "a wall clock (System.currentTimeMillis/nanoTime, java.time *.now) or unseeded randomness (Math.random, new Random())",
                (JavaCall<?> call) -> {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    if (owner.equals("java.lang.System")
                            && (name.equals("currentTimeMillis") || name.equals("nanoTime"))) {
                        return true;
                    }
                    if (owner.startsWith("java.time.") && name.equals("now")) {
                        return true;
                    }
                    if (owner.equals("java.lang.Math") && name.equals("random")) {
                        return true;
                    }
                    return call instanceof JavaConstructorCall
                            && owner.equals("java.util.Random")
                            && call.getTarget().getRawParameterTypes().isEmpty();
                });
        return noClasses()
                .that()
                .resideInAPackage(pkg)
                .should()
                .callCodeUnitWhere(clockOrChance)
                .because(
                        "a tick must give the same result on replay: time comes in as an argument, randomness from a seed");
    }
}
