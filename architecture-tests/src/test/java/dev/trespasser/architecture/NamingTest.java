package dev.trespasser.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

/** A name says what a thing is: no grab-bag packages or classes. */
class NamingTest {

    @Test
    void noGrabBagPackages() {
        noClasses()
                .should()
                .resideInAnyPackage("..util..", "..utils..", "..helper..", "..helpers..", "..common..")
                .because("package by feature: a class goes where the feature it serves lives")
                .check(MainCode.classes());
    }

    @Test
    void noUtilOrHelperClasses() {
        noClasses()
                .should()
                .haveSimpleNameEndingWith("Util")
                .orShould()
                .haveSimpleNameEndingWith("Utils")
                .orShould()
                .haveSimpleNameEndingWith("Helper")
                .orShould()
                .haveSimpleNameEndingWith("Helpers")
                .because("a class name says what it is (VisionCone, SnapshotEncoder), not that it holds leftovers")
                .check(MainCode.classes());
    }
}
