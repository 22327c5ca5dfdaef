package dev.trespasser.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service is its own deployable: it shares contracts through {@code proto} and process
 * plumbing through {@code runtime}, never another service's classes, and ships no test double
 * or dev-only code.
 */
class ServiceBoundariesTest {

    static final List<String> SERVICES =
            List.of("dev.trespasser.frontend", "dev.trespasser.director", "dev.trespasser.mmf", "dev.trespasser.match");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "dev.trespasser.frontend",
                "dev.trespasser.director",
                "dev.trespasser.mmf",
                "dev.trespasser.match"
            })
    void aServiceDependsOnNoOtherService(String service) {
        String[] others = SERVICES.stream()
                .filter(other -> !other.equals(service))
                .map(other -> other + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage(service + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because(
                        "what two services share (ticket attributes, game modes, claim names, annotation keys) lives in proto; "
                                + Arrays.toString(others) + " are other deployables")
                .check(MainCode.classes());
    }

    @Test
    void servicesAndClientsCarryNoTestDoubles() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.trespasser.frontend..",
                        "dev.trespasser.director..",
                        "dev.trespasser.mmf..",
                        "dev.trespasser.match..",
                        "dev.trespasser.game..",
                        "dev.trespasser.bots..",
                        "dev.trespasser.runtime..",
                        "dev.trespasser.proto..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.trespasser.peers..")
                .because(
                        "peers starts real peers and holds the test doubles for tests and the local stack, never for a production jar")
                .check(MainCode.classes());
    }

    @Test
    void directorShipsNoLocalFleetAllocator() {
        noClasses()
                .that()
                .resideInAPackage("dev.trespasser.director..")
                .should()
                .haveSimpleNameStartingWith("Local")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("org.yaml.snakeyaml..")
                .because(
                        "allocating from a local fleet of SDK servers (GameServer files in YAML) is for local runs: it lives in local-stack")
                .check(MainCode.classes());
    }
}
