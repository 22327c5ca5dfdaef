package dev.trespasser.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One settings record per service reads the environment, through service-runtime's EnvSettings,
 * so every variable is parsed, validated and documented in one place. {@code main} hands the
 * whole environment to it. (peers, the test and local-stack launcher of real peers, finds its
 * binaries through its own variables and is not a service.)
 */
class EnvironmentTest {

    static final DescribedPredicate<JavaClass> SETTINGS =
            DescribedPredicate.describe("a *Settings or *Config class, or EnvSettings", (JavaClass c) -> {
                String name = c.getSimpleName();
                JavaClass top = c;
                while (top.getEnclosingClass().isPresent()) {
                    top = top.getEnclosingClass().get();
                }
                String outer = top.getSimpleName();
                return name.endsWith("Settings")
                        || name.endsWith("Config")
                        || outer.endsWith("Settings")
                        || outer.endsWith("Config");
            });

    @Test
    void onlySettingsLookUpAVariable() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.trespasser.peers..")
                .and(DescribedPredicate.not(SETTINGS))
                .should()
                .callMethod(System.class, "getenv", String.class)
                .because(
                        "a variable read outside the service's settings record escapes its validation and its documentation")
                .check(MainCode.classes());
    }

    @Test
    void onlyMainOrSettingsTakeTheWholeEnvironment() {
        ArchCondition<JavaClass> takeTheEnvironmentOutsideMain =
                new ArchCondition<>("call System.getenv() outside main(String[])") {
                    @Override
                    public void check(JavaClass javaClass, ConditionEvents events) {
                        for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
                            boolean wholeEnvironment = call.getTargetOwner().isEquivalentTo(System.class)
                                    && call.getName().equals("getenv")
                                    && call.getTarget().getRawParameterTypes().isEmpty();
                            if (wholeEnvironment && !call.getOrigin().getName().equals("main")) {
                                events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                            }
                        }
                    }
                };
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.trespasser.peers..")
                .and(DescribedPredicate.not(SETTINGS))
                .should(takeTheEnvironmentOutsideMain)
                .because("main hands System.getenv() to the one settings record; no other code reads the environment")
                .check(MainCode.classes());
    }

    @Test
    void onlySettingsParseTheEnvironment() {
        noClasses()
                .that(DescribedPredicate.not(SETTINGS))
                .should()
                .callConstructor("dev.trespasser.runtime.EnvSettings", Map.class.getName())
                .because(
                        "one settings record per service parses the environment (the match server read it in 8 places)")
                .check(MainCode.classes());
    }
}
